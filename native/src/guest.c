/*
 * The guest ioctls: SNP_GET_REPORT, SNP_GET_EXT_REPORT (with the certificate-buffer sizing retry),
 * SNP_GET_DERIVED_KEY (Linux drivers/virt/coco/sev-guest, uapi <linux/sev-guest.h>) and
 * TDX_CMD_GET_REPORT0 (drivers/virt/coco/tdx-guest, uapi tdx-guest.h, restated in guest_abi.h).
 *
 * SNP_GET_EXT_REPORT sizing (sev-guest driver, get_ext_report): certs_len must be page-aligned;
 * when the host's certificate blob does not fit, the ioctl fails with EIO, exitinfo2's VMM half is
 * SNP_GUEST_VMM_ERR_INVALID_LEN and the driver writes the needed length back into certs_len. We
 * retry with that length rounded up to a page, at most QK_SNP_CERTS_MAX_ATTEMPTS times and never
 * beyond QK_SNP_CERTS_MAX_BYTES (a length the host controls must not size our allocation freely).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "guest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

const char *qk_kind_name(qk_kind kind) {
  switch (kind) {
    case QK_OK: return "OK";
    case QK_E_DEVICE_ABSENT: return "DEVICE_ABSENT";
    case QK_E_PERMISSION: return "PERMISSION";
    case QK_E_INVALID: return "INVALID";
    case QK_E_FIRMWARE: return "FIRMWARE";
    case QK_E_VMM: return "VMM";
    case QK_E_IO: return "IO";
    case QK_E_BUSY: return "BUSY";
    case QK_E_CERTS_TOO_LARGE: return "CERTS_TOO_LARGE";
    case QK_E_MALFORMED: return "MALFORMED";
    case QK_E_OTHER: return "OTHER";
  }
  return "OTHER";
}

const char *qk_errno_name(int err, char *buf, unsigned len) {
  switch (err) {
    case 0: return "";
    case ENOENT: return "ENOENT";
    case ENODEV: return "ENODEV";
    case ENXIO: return "ENXIO";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EBUSY: return "EBUSY";
    case EAGAIN: return "EAGAIN";
    case ENOTTY: return "ENOTTY";
    case EFAULT: return "EFAULT";
    case ENOMEM: return "ENOMEM";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ENOSPC: return "ENOSPC";
    case EPROTO: return "EPROTO";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: snprintf(buf, len, "E%d", err); return buf;
  }
}

static void fail_errno(qk_result *r, const char *op, int err) {
  r->op = op;
  r->err = err;
  switch (err) {
    case ENOENT: case ENODEV: case ENXIO: r->kind = QK_E_DEVICE_ABSENT; break;
    case EACCES: case EPERM: r->kind = QK_E_PERMISSION; break;
    case EINVAL: r->kind = QK_E_INVALID; break;
    case EBUSY: case EAGAIN: r->kind = QK_E_BUSY; break;
    case EIO:
      if (r->vmm_error == SNP_GUEST_VMM_ERR_BUSY) r->kind = QK_E_BUSY;
      else if (r->vmm_error != 0) r->kind = QK_E_VMM;
      else if (r->fw_error != 0) r->kind = QK_E_FIRMWARE;
      else r->kind = QK_E_IO;
      break;
    default: r->kind = QK_E_OTHER; break;
  }
}

static void split_exitinfo2(qk_result *r, const struct snp_guest_request_ioctl *g) {
  r->fw_error = (uint32_t)(g->exitinfo2 & 0xffffffffu);
  r->vmm_error = (uint32_t)(g->exitinfo2 >> SNP_GUEST_VMM_ERR_SHIFT);
}

static int open_device(const char *path, qk_result *r) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) fail_errno(r, "open", errno);
  return fd;
}

static uint32_t read_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* MSG_REPORT_RSP: status must be 0 and report_size exactly one ATTESTATION_REPORT. */
static void take_report(const struct snp_report_resp *resp, uint8_t out[QK_SNP_REPORT_BYTES], qk_result *r) {
  uint32_t status = read_u32le(resp->data + QK_SNP_RSP_STATUS);
  uint32_t size = read_u32le(resp->data + QK_SNP_RSP_REPORT_SIZE);
  r->op = "response";
  if (status != 0) {
    r->kind = QK_E_FIRMWARE;
    r->status = status;
    return;
  }
  if (size != QK_SNP_REPORT_BYTES) {
    r->kind = QK_E_MALFORMED;
    r->status = size;
    return;
  }
  memcpy(out, resp->data + QK_SNP_RSP_PAYLOAD, QK_SNP_REPORT_BYTES);
  r->kind = QK_OK;
}

static void fill_report_req(struct snp_report_req *req, const uint8_t report_data[QK_REPORT_DATA_BYTES], uint32_t vmpl) {
  memset(req, 0, sizeof(*req));
  memcpy(req->user_data, report_data, QK_REPORT_DATA_BYTES);
  req->vmpl = vmpl;
}

/* One SNP guest request (msg_version 1) on an open device; exitinfo2 split into r. Returns 0 or the errno. */
static int snp_ioctl(int fd, unsigned long request, void *req, void *resp, qk_result *r) {
  struct snp_guest_request_ioctl g;
  memset(&g, 0, sizeof(g));
  g.msg_version = QK_SNP_MSG_VERSION;
  g.req_data = (__u64)(uintptr_t)req;
  g.resp_data = (__u64)(uintptr_t)resp;
  r->attempts++;
  int err = ioctl(fd, request, &g) < 0 ? errno : 0;
  split_exitinfo2(r, &g);
  return err;
}

void qk_snp_report(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES], uint32_t vmpl,
                   uint8_t out[QK_SNP_REPORT_BYTES], qk_result *r) {
  struct snp_report_req req;
  struct snp_report_resp resp;
  memset(r, 0, sizeof(*r));
  int fd = open_device(path, r);
  if (fd < 0) return;
  fill_report_req(&req, report_data, vmpl);
  memset(&resp, 0, sizeof(resp));
  int err = snp_ioctl(fd, SNP_GET_REPORT, &req, &resp, r);
  close(fd);
  if (err != 0) fail_errno(r, "ioctl", err);
  else take_report(&resp, out, r);
}

void qk_snp_ext_report(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES], uint32_t vmpl,
                       uint8_t out[QK_SNP_REPORT_BYTES], uint8_t **certs, uint32_t *certs_len, qk_result *r) {
  struct snp_ext_report_req req;
  struct snp_report_resp resp;
  uint32_t size = QK_SNP_CERTS_INITIAL_BYTES;
  memset(r, 0, sizeof(*r));
  *certs = NULL;
  *certs_len = 0;
  int fd = open_device(path, r);
  if (fd < 0) return;
  for (;;) {
    void *buf = NULL;
    if (posix_memalign(&buf, QK_PAGE_BYTES, size) != 0) {
      close(fd);
      fail_errno(r, "alloc", ENOMEM);
      return;
    }
    memset(buf, 0, size);
    memset(&req, 0, sizeof(req));
    fill_report_req(&req.data, report_data, vmpl);
    req.certs_address = (__u64)(uintptr_t)buf;
    req.certs_len = size;
    memset(&resp, 0, sizeof(resp));
    int err = snp_ioctl(fd, SNP_GET_EXT_REPORT, &req, &resp, r);
    if (err == 0) {
      close(fd);
      take_report(&resp, out, r);
      if (r->kind == QK_OK) {
        *certs = buf;
        *certs_len = size;
      } else {
        free(buf);
      }
      return;
    }
    free(buf);
    if (err == EIO && r->vmm_error == SNP_GUEST_VMM_ERR_INVALID_LEN) {
      uint32_t needed = req.certs_len;
      uint64_t rounded = ((uint64_t)needed + QK_PAGE_BYTES - 1) / QK_PAGE_BYTES * QK_PAGE_BYTES;
      r->certs_needed = needed;
      if (needed == 0 || rounded > QK_SNP_CERTS_MAX_BYTES || r->attempts >= QK_SNP_CERTS_MAX_ATTEMPTS) {
        close(fd);
        r->op = "ioctl";
        r->err = err;
        r->kind = QK_E_CERTS_TOO_LARGE;
        return;
      }
      size = (uint32_t)rounded;
      continue;
    }
    close(fd);
    fail_errno(r, "ioctl", err);
    return;
  }
}

void qk_snp_derived_key(const char *path, const struct snp_derived_key_req *key_req,
                        uint8_t out[QK_SNP_DERIVED_KEY_BYTES], qk_result *r) {
  struct snp_derived_key_req req = *key_req;
  struct snp_derived_key_resp resp;
  memset(r, 0, sizeof(*r));
  int fd = open_device(path, r);
  if (fd < 0) return;
  req.rsvd = 0;
  memset(&resp, 0, sizeof(resp));
  int err = snp_ioctl(fd, SNP_GET_DERIVED_KEY, &req, &resp, r);
  close(fd);
  if (err != 0) {
    fail_errno(r, "ioctl", err);
  } else {
    uint32_t status = read_u32le(resp.data + QK_SNP_RSP_STATUS);
    r->op = "response";
    if (status != 0) {
      r->kind = QK_E_FIRMWARE;
      r->status = status;
    } else {
      memcpy(out, resp.data + QK_SNP_RSP_PAYLOAD, QK_SNP_DERIVED_KEY_BYTES);
      r->kind = QK_OK;
    }
  }
  /* the key is secret: no copy of it outlives this frame but the caller's */
  explicit_bzero(&resp, sizeof(resp));
}

void qk_tdx_report0(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES],
                    uint8_t out[QK_TDX_REPORT_BYTES], qk_result *r) {
  struct tdx_report_req req;
  memset(r, 0, sizeof(*r));
  int fd = open_device(path, r);
  if (fd < 0) return;
  memset(&req, 0, sizeof(req));
  memcpy(req.reportdata, report_data, QK_REPORT_DATA_BYTES);
  r->attempts = 1;
  int rc = ioctl(fd, TDX_CMD_GET_REPORT0, &req);
  int err = errno;
  close(fd);
  if (rc < 0) {
    fail_errno(r, "ioctl", err);
    return;
  }
  memcpy(out, req.tdreport, QK_TDX_REPORT_BYTES);
  r->kind = QK_OK;
  r->op = "ioctl";
}
