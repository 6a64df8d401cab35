/*
 * A fake /dev/sev-guest and /dev/tdx_guest for tests, as an LD_PRELOAD shim: it intercepts ioctl()
 * for SNP_GET_REPORT, SNP_GET_DERIVED_KEY, SNP_GET_EXT_REPORT (Linux <linux/sev-guest.h>) and
 * TDX_CMD_GET_REPORT0 (tdx-guest.h) on a file descriptor whose /proc/self/fd link is one of the fake
 * device paths ($QUORUMKIT_SEV_GUEST_DEVICE, $QUORUMKIT_TDX_GUEST_DEVICE, and the colon-separated
 * $QK_FAKE_GUEST_PATHS — regular temp files), forwards the request over the Unix socket
 * $QK_FAKE_GUEST_SOCKET to the test's server (test/tee/native/_fake-guest-server.ts) and copies its
 * answer back the way the kernel would: the response struct, exitinfo2, the certificate blob, the
 * needed certs_len on SNP_GUEST_VMM_ERR_INVALID_LEN, and errno. Every other ioctl goes to libc's
 * (dlsym(RTLD_NEXT)). Built by the test: cc -shared -fPIC -o shim.so fake-guest-shim.c -ldl.
 *
 * Wire format (host byte order, both sides on one machine):
 *   request:  u32 magic 'QKFG', u32 op (1 report, 2 ext report, 3 derived key, 4 TDX report0),
 *             u32 msg_version, u32 payload length, payload (snp_report_req | snp_report_req + u32
 *             certs_len | snp_derived_key_req | reportdata[64])
 *   response: u32 magic, i32 errno, u64 exitinfo2, u32 resp length, u32 certs_len to write back
 *             (0: leave), u32 certs length, u32 0, then resp bytes, then certs bytes
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <linux/ioctl.h>
#include <linux/sev-guest.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef TDX_CMD_GET_REPORT0
struct tdx_report_req {
  __u8 reportdata[64];
  __u8 tdreport[1024];
};
#define TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct tdx_report_req)
#endif

#define QKFG_MAGIC 0x47464b51u
#define QKFG_MAX_PATHS 8
#define QKFG_MAX_CERTS (1u << 20)

struct qkfg_resp_hdr {
  uint32_t magic;
  int32_t err;
  uint64_t exitinfo2;
  uint32_t resp_len;
  uint32_t certs_len_out;
  uint32_t certs_data_len;
  uint32_t pad;
};
_Static_assert(sizeof(struct qkfg_resp_hdr) == 32, "response header is 32 bytes");

typedef int (*ioctl_fn)(int, unsigned long, ...);
static ioctl_fn real_ioctl;
static char fake_paths[QKFG_MAX_PATHS][PATH_MAX];
static int n_fake_paths;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add_path(const char *p, size_t len) {
  char tmp[PATH_MAX];
  if (len == 0 || len >= PATH_MAX || n_fake_paths == QKFG_MAX_PATHS) return;
  memcpy(tmp, p, len);
  tmp[len] = 0;
  if (realpath(tmp, fake_paths[n_fake_paths]) != NULL) n_fake_paths++;
}

static void init(void) {
  real_ioctl = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
  const char *names[] = {"QUORUMKIT_SEV_GUEST_DEVICE", "QUORUMKIT_TDX_GUEST_DEVICE"};
  for (size_t i = 0; i < 2; i++) {
    const char *v = getenv(names[i]);
    if (v != NULL) add_path(v, strlen(v));
  }
  const char *list = getenv("QK_FAKE_GUEST_PATHS");
  while (list != NULL && *list) {
    const char *colon = strchr(list, ':');
    size_t len = colon ? (size_t)(colon - list) : strlen(list);
    add_path(list, len);
    list = colon ? colon + 1 : NULL;
  }
}

static int is_fake_fd(int fd) {
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof(target) - 1);
  if (n <= 0) return 0;
  target[n] = 0;
  for (int i = 0; i < n_fake_paths; i++)
    if (strcmp(target, fake_paths[i]) == 0) return 1;
  return 0;
}

static int write_all(int s, const void *buf, size_t len) {
  const uint8_t *p = buf;
  while (len > 0) {
    ssize_t n = write(s, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int read_all(int s, void *buf, size_t len) {
  uint8_t *p = buf;
  while (len > 0) {
    ssize_t n = read(s, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* One round trip: send the request, read the header, resp bytes into resp (≤ resp_cap), certs into a malloc'd buffer. */
static int exchange(uint32_t op, uint32_t msg_version, const void *payload, uint32_t len, struct qkfg_resp_hdr *h,
                    void *resp, uint32_t resp_cap, uint8_t **certs) {
  const char *path = getenv("QK_FAKE_GUEST_SOCKET");
  struct sockaddr_un addr;
  *certs = NULL;
  if (path == NULL || strlen(path) >= sizeof(addr.sun_path)) return -1;
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  uint32_t hdr[4] = {QKFG_MAGIC, op, msg_version, len};
  int ok = connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0 && write_all(s, hdr, sizeof(hdr)) == 0 &&
           write_all(s, payload, len) == 0 && read_all(s, h, sizeof(*h)) == 0 && h->magic == QKFG_MAGIC &&
           h->resp_len <= resp_cap && h->certs_data_len <= QKFG_MAX_CERTS && read_all(s, resp, h->resp_len) == 0;
  if (ok && h->certs_data_len > 0) {
    *certs = malloc(h->certs_data_len);
    ok = *certs != NULL && read_all(s, *certs, h->certs_data_len) == 0;
  }
  close(s);
  if (!ok) {
    free(*certs);
    *certs = NULL;
    return -1;
  }
  return 0;
}

static int fake_snp(unsigned long request, struct snp_guest_request_ioctl *g) {
  uint8_t payload[sizeof(struct snp_report_req) + 4];
  uint8_t resp[4000];
  uint32_t len, op, resp_cap;
  struct snp_ext_report_req *ext = NULL;
  struct qkfg_resp_hdr h;
  uint8_t *certs = NULL;
  if (request == SNP_GET_REPORT) {
    op = 1;
    len = sizeof(struct snp_report_req);
    resp_cap = sizeof(struct snp_report_resp);
    memcpy(payload, (void *)(uintptr_t)g->req_data, len);
  } else if (request == SNP_GET_EXT_REPORT) {
    op = 2;
    ext = (struct snp_ext_report_req *)(uintptr_t)g->req_data;
    len = sizeof(struct snp_report_req) + 4;
    resp_cap = sizeof(struct snp_report_resp);
    memcpy(payload, &ext->data, sizeof(ext->data));
    memcpy(payload + sizeof(ext->data), &ext->certs_len, 4);
  } else {
    op = 3;
    len = sizeof(struct snp_derived_key_req);
    resp_cap = sizeof(struct snp_derived_key_resp);
    memcpy(payload, (void *)(uintptr_t)g->req_data, len);
  }
  if (exchange(op, g->msg_version, payload, len, &h, resp, resp_cap, &certs) != 0) {
    errno = EPROTO;
    return -1;
  }
  g->exitinfo2 = h.exitinfo2;
  memcpy((void *)(uintptr_t)g->resp_data, resp, h.resp_len);
  if (ext != NULL) {
    if (h.certs_data_len > ext->certs_len) {
      free(certs);
      errno = EPROTO;
      return -1;
    }
    if (h.certs_data_len > 0) memcpy((void *)(uintptr_t)ext->certs_address, certs, h.certs_data_len);
    if (h.certs_len_out != 0) ext->certs_len = h.certs_len_out;
  }
  free(certs);
  if (h.err != 0) {
    errno = h.err;
    return -1;
  }
  return 0;
}

static int fake_tdx(struct tdx_report_req *req) {
  struct qkfg_resp_hdr h;
  uint8_t tdreport[1024];
  uint8_t *certs = NULL;
  if (exchange(4, 0, req->reportdata, sizeof(req->reportdata), &h, tdreport, sizeof(tdreport), &certs) != 0) {
    errno = EPROTO;
    return -1;
  }
  free(certs);
  if (h.err != 0) {
    errno = h.err;
    return -1;
  }
  if (h.resp_len != sizeof(tdreport)) {
    errno = EPROTO;
    return -1;
  }
  memcpy(req->tdreport, tdreport, sizeof(tdreport));
  return 0;
}

int ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  va_start(ap, request);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  pthread_once(&once, init);
  int guest = request == SNP_GET_REPORT || request == SNP_GET_EXT_REPORT || request == SNP_GET_DERIVED_KEY ||
              request == TDX_CMD_GET_REPORT0;
  if (!guest || !is_fake_fd(fd)) return real_ioctl(fd, request, arg);
  if (request == TDX_CMD_GET_REPORT0) return fake_tdx(arg);
  return fake_snp(request, arg);
}
