/*
 * quorumkit_native: the N-API surface over guest.c (Node-API, NAPI_VERSION pinned in binding.gyp).
 * Every export validates its arguments synchronously (TypeError / RangeError), copies them into a
 * job, and runs the ioctl in napi_create_async_work's execute callback (a libuv worker thread); the
 * complete callback resolves the returned Promise with Buffers or rejects it with an Error whose
 * `code` is "ERR_TEE_NATIVE" and whose `kind`, `errno`, `errnoName`, `op`, `fwError`, `vmmError`,
 * `status`, `certsNeeded` and `attempts` say why. `sizes` exports the struct sizes the C side was
 * compiled with, for the TypeScript side to compare with its constants.
 */
#include <errno.h>
#include <limits.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

#if !defined(NAPI_VERSION) || NAPI_VERSION != 8
#error "binding.gyp pins NAPI_VERSION=8"
#endif

/* Wraps every N-API call: on failure throw (unless an exception is pending) and return `ret`. */
#define CHECK_RET(env, call, ret)          \
  do {                                     \
    napi_status status_ = (call);          \
    if (status_ != napi_ok) {              \
      qk_throw_napi((env), #call);         \
      return ret;                          \
    }                                      \
  } while (0)
#define CHECK(env, call) CHECK_RET(env, call, NULL)
#define CHECK_VOID(env, call) CHECK_RET(env, call, )

static void qk_throw_napi(napi_env env, const char *call) {
  const napi_extended_error_info *info = NULL;
  bool pending = false;
  char msg[256];
  napi_get_last_error_info(env, &info);
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  snprintf(msg, sizeof(msg), "%s failed: %s", call,
           info != NULL && info->error_message != NULL ? info->error_message : "N-API error");
  napi_throw_error(env, "ERR_TEE_NATIVE_NAPI", msg);
}

typedef enum { JOB_SNP_REPORT, JOB_SNP_EXT_REPORT, JOB_SNP_DERIVED_KEY, JOB_TDX_REPORT0 } job_kind;

typedef struct {
  job_kind kind;
  napi_async_work work;
  napi_deferred deferred;
  char path[PATH_MAX];
  uint8_t report_data[QK_REPORT_DATA_BYTES];
  uint32_t vmpl;
  struct snp_derived_key_req key_req;
  qk_result result;
  uint8_t out[QK_SNP_REPORT_BYTES > QK_TDX_REPORT_BYTES ? QK_SNP_REPORT_BYTES : QK_TDX_REPORT_BYTES];
  uint8_t *certs;
  uint32_t certs_len;
} job_t;

static void job_free(job_t *job) {
  free(job->certs);
  explicit_bzero(job, sizeof(*job));
  free(job);
}

/* ---- argument helpers (synchronous; throw TypeError / RangeError) ---- */

static bool get_path(napi_env env, napi_value v, char *buf) {
  napi_valuetype t;
  size_t len = 0;
  CHECK_RET(env, napi_typeof(env, v, &t), false);
  if (t != napi_string) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "\"path\" expected a string");
    return false;
  }
  CHECK_RET(env, napi_get_value_string_utf8(env, v, NULL, 0, &len), false);
  if (len == 0 || len >= PATH_MAX) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "\"path\" expected 1..4095 bytes");
    return false;
  }
  CHECK_RET(env, napi_get_value_string_utf8(env, v, buf, PATH_MAX, &len), false);
  if (strlen(buf) != len) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "\"path\" must not contain NUL");
    return false;
  }
  return true;
}

static bool get_report_data(napi_env env, napi_value v, uint8_t out[QK_REPORT_DATA_BYTES]) {
  bool is_ta = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  CHECK_RET(env, napi_is_typedarray(env, v, &is_ta), false);
  if (!is_ta) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "\"reportData\" expected a Uint8Array");
    return false;
  }
  CHECK_RET(env, napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL), false);
  if (type != napi_uint8_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "\"reportData\" expected a Uint8Array");
    return false;
  }
  if (length != QK_REPORT_DATA_BYTES) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "\"reportData\" expected 64 bytes");
    return false;
  }
  memcpy(out, data, QK_REPORT_DATA_BYTES);
  return true;
}

static bool get_u32(napi_env env, napi_value v, const char *what, uint32_t max, uint32_t *out) {
  napi_valuetype t;
  double d = 0;
  CHECK_RET(env, napi_typeof(env, v, &t), false);
  if (t != napi_number) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
    return false;
  }
  CHECK_RET(env, napi_get_value_double(env, v, &d), false);
  if (!(d >= 0 && d <= (double)max) || d != (double)(uint32_t)d) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", what);
    return false;
  }
  *out = (uint32_t)d;
  return true;
}

static bool get_u64(napi_env env, napi_value v, const char *what, uint64_t *out) {
  napi_valuetype t;
  bool lossless = false;
  CHECK_RET(env, napi_typeof(env, v, &t), false);
  if (t != napi_bigint) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
    return false;
  }
  CHECK_RET(env, napi_get_value_bigint_uint64(env, v, out, &lossless), false);
  if (!lossless) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", what);
    return false;
  }
  return true;
}

static bool get_field(napi_env env, napi_value obj, const char *name, napi_value *out) {
  bool has = false;
  CHECK_RET(env, napi_has_named_property(env, obj, name, &has), false);
  if (!has) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", name);
    return false;
  }
  CHECK_RET(env, napi_get_named_property(env, obj, name, out), false);
  return true;
}

/* The call's arguments: exactly `want` of them, else a TypeError naming the signature. */
static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *signature) {
  size_t argc = want;
  CHECK_RET(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), false);
  if (argc != want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", signature);
    return false;
  }
  return true;
}

/* ---- async work ---- */

static void execute(napi_env env, void *data) {
  (void)env;
  job_t *job = data;
  switch (job->kind) {
    case JOB_SNP_REPORT: qk_snp_report(job->path, job->report_data, job->vmpl, job->out, &job->result); break;
    case JOB_SNP_EXT_REPORT:
      qk_snp_ext_report(job->path, job->report_data, job->vmpl, job->out, &job->certs, &job->certs_len, &job->result);
      break;
    case JOB_SNP_DERIVED_KEY: qk_snp_derived_key(job->path, &job->key_req, job->out, &job->result); break;
    case JOB_TDX_REPORT0: qk_tdx_report0(job->path, job->report_data, job->out, &job->result); break;
  }
}

static napi_value set_u32(napi_env env, napi_value obj, const char *name, uint32_t v) {
  napi_value n;
  CHECK(env, napi_create_uint32(env, v, &n));
  CHECK(env, napi_set_named_property(env, obj, name, n));
  return obj;
}

static napi_value set_str(napi_env env, napi_value obj, const char *name, const char *s) {
  napi_value n;
  CHECK(env, napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &n));
  CHECK(env, napi_set_named_property(env, obj, name, n));
  return obj;
}

static napi_value make_error(napi_env env, const job_t *job) {
  const qk_result *r = &job->result;
  char buf[16];
  napi_value code, msg, err;
  CHECK(env, napi_create_string_utf8(env, "ERR_TEE_NATIVE", NAPI_AUTO_LENGTH, &code));
  CHECK(env, napi_create_string_utf8(env, qk_kind_name(r->kind), NAPI_AUTO_LENGTH, &msg));
  CHECK(env, napi_create_error(env, code, msg, &err));
  if (set_str(env, err, "kind", qk_kind_name(r->kind)) == NULL) return NULL;
  if (set_str(env, err, "op", r->op != NULL ? r->op : "") == NULL) return NULL;
  if (set_str(env, err, "errnoName", qk_errno_name(r->err, buf, sizeof(buf))) == NULL) return NULL;
  if (set_u32(env, err, "errno", (uint32_t)r->err) == NULL) return NULL;
  if (set_u32(env, err, "fwError", r->fw_error) == NULL) return NULL;
  if (set_u32(env, err, "vmmError", r->vmm_error) == NULL) return NULL;
  if (set_u32(env, err, "status", r->status) == NULL) return NULL;
  if (set_u32(env, err, "certsNeeded", r->certs_needed) == NULL) return NULL;
  if (set_u32(env, err, "attempts", r->attempts) == NULL) return NULL;
  return err;
}

static napi_value make_value(napi_env env, job_t *job) {
  napi_value out;
  switch (job->kind) {
    case JOB_SNP_REPORT:
      CHECK(env, napi_create_buffer_copy(env, QK_SNP_REPORT_BYTES, job->out, NULL, &out));
      return out;
    case JOB_TDX_REPORT0:
      CHECK(env, napi_create_buffer_copy(env, QK_TDX_REPORT_BYTES, job->out, NULL, &out));
      return out;
    case JOB_SNP_DERIVED_KEY:
      CHECK(env, napi_create_buffer_copy(env, QK_SNP_DERIVED_KEY_BYTES, job->out, NULL, &out));
      return out;
    case JOB_SNP_EXT_REPORT: {
      napi_value report, certs;
      CHECK(env, napi_create_object(env, &out));
      CHECK(env, napi_create_buffer_copy(env, QK_SNP_REPORT_BYTES, job->out, NULL, &report));
      CHECK(env, napi_create_buffer_copy(env, job->certs_len, job->certs, NULL, &certs));
      CHECK(env, napi_set_named_property(env, out, "report", report));
      CHECK(env, napi_set_named_property(env, out, "certs", certs));
      return set_u32(env, out, "attempts", job->result.attempts);
    }
  }
  return NULL;
}

static void complete(napi_env env, napi_status status, void *data) {
  job_t *job = data;
  napi_value value = NULL;
  bool ok = status == napi_ok && job->result.kind == QK_OK;
  if (status == napi_ok) value = ok ? make_value(env, job) : make_error(env, job);
  if (value == NULL) {
    /* cancelled, or building the answer failed: reject with whatever is pending, else a generic error */
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) napi_get_and_clear_last_exception(env, &value);
    else {
      napi_value code, msg;
      napi_create_string_utf8(env, "ERR_TEE_NATIVE_NAPI", NAPI_AUTO_LENGTH, &code);
      napi_create_string_utf8(env, "async work failed", NAPI_AUTO_LENGTH, &msg);
      napi_create_error(env, code, msg, &value);
    }
    ok = false;
  }
  if (ok) napi_resolve_deferred(env, job->deferred, value);
  else napi_reject_deferred(env, job->deferred, value);
  napi_delete_async_work(env, job->work);
  job_free(job);
}

static napi_value queue(napi_env env, job_t *job, const char *name) {
  napi_value promise, resource;
  napi_status s = napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
  if (s == napi_ok) s = napi_create_promise(env, &job->deferred, &promise);
  if (s == napi_ok) s = napi_create_async_work(env, NULL, resource, execute, complete, job, &job->work);
  if (s == napi_ok) s = napi_queue_async_work(env, job->work);
  if (s != napi_ok) {
    /* a deferred that is never settled is collected with its promise; the job is ours to free */
    if (job->work != NULL) napi_delete_async_work(env, job->work);
    job_free(job);
    qk_throw_napi(env, "queue");
    return NULL;
  }
  return promise;
}

static job_t *job_new(napi_env env, job_kind kind) {
  job_t *job = calloc(1, sizeof(job_t));
  if (job == NULL) napi_throw_error(env, "ERR_TEE_NATIVE_NAPI", "out of memory");
  else job->kind = kind;
  return job;
}

/* snpGetReport(path, reportData[64], vmpl) → Promise<Buffer(1184)> */
static napi_value snp_get_report(napi_env env, napi_callback_info info, job_kind kind, const char *name) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, "expected (path, reportData, vmpl)")) return NULL;
  job_t *job = job_new(env, kind);
  if (job == NULL) return NULL;
  if (!get_path(env, argv[0], job->path) || !get_report_data(env, argv[1], job->report_data) ||
      !get_u32(env, argv[2], "\"vmpl\" expected 0..3", 3, &job->vmpl)) {
    job_free(job);
    return NULL;
  }
  return queue(env, job, name);
}

static napi_value js_snp_get_report(napi_env env, napi_callback_info info) {
  return snp_get_report(env, info, JOB_SNP_REPORT, "quorumkit:snpGetReport");
}

/* snpGetExtReport(path, reportData[64], vmpl) → Promise<{ report, certs, attempts }> */
static napi_value js_snp_get_ext_report(napi_env env, napi_callback_info info) {
  return snp_get_report(env, info, JOB_SNP_EXT_REPORT, "quorumkit:snpGetExtReport");
}

/* snpGetDerivedKey(path, { rootKeySelect, guestFieldSelect: bigint, vmpl, guestSvn, tcbVersion: bigint }) → Promise<Buffer(32)> */
static napi_value js_snp_get_derived_key(napi_env env, napi_callback_info info) {
  napi_value argv[2], v;
  napi_valuetype t;
  uint64_t u64 = 0;
  if (!get_args(env, info, 2, argv, "expected (path, request)")) return NULL;
  CHECK(env, napi_typeof(env, argv[1], &t));
  if (t != napi_object) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "\"request\" expected an object");
    return NULL;
  }
  job_t *job = job_new(env, JOB_SNP_DERIVED_KEY);
  if (job == NULL) return NULL;
  struct snp_derived_key_req *k = &job->key_req;
  bool ok = get_path(env, argv[0], job->path) &&
            get_field(env, argv[1], "rootKeySelect", &v) && get_u32(env, v, "\"rootKeySelect\" expected 0..1", 1, &k->root_key_select) &&
            get_field(env, argv[1], "guestFieldSelect", &v) && get_u64(env, v, "\"guestFieldSelect\" expected a u64 bigint", &u64);
  if (ok) k->guest_field_select = u64;
  ok = ok && get_field(env, argv[1], "vmpl", &v) && get_u32(env, v, "\"vmpl\" expected 0..3", 3, &k->vmpl) &&
       get_field(env, argv[1], "guestSvn", &v) && get_u32(env, v, "\"guestSvn\" expected a u32", UINT32_MAX, &k->guest_svn) &&
       get_field(env, argv[1], "tcbVersion", &v) && get_u64(env, v, "\"tcbVersion\" expected a u64 bigint", &u64);
  if (!ok) {
    job_free(job);
    return NULL;
  }
  k->tcb_version = u64;
  return queue(env, job, "quorumkit:snpGetDerivedKey");
}

/* tdxGetReport0(path, reportData[64]) → Promise<Buffer(1024)> */
static napi_value js_tdx_get_report0(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, "expected (path, reportData)")) return NULL;
  job_t *job = job_new(env, JOB_TDX_REPORT0);
  if (job == NULL) return NULL;
  if (!get_path(env, argv[0], job->path) || !get_report_data(env, argv[1], job->report_data)) {
    job_free(job);
    return NULL;
  }
  return queue(env, job, "quorumkit:tdxGetReport0");
}

static bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  CHECK_RET(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn), false);
  CHECK_RET(env, napi_set_named_property(env, exports, name, fn), false);
  return true;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value sizes, limits;
  if (!export_fn(env, exports, "snpGetReport", js_snp_get_report) ||
      !export_fn(env, exports, "snpGetExtReport", js_snp_get_ext_report) ||
      !export_fn(env, exports, "snpGetDerivedKey", js_snp_get_derived_key) ||
      !export_fn(env, exports, "tdxGetReport0", js_tdx_get_report0))
    return NULL;
  CHECK(env, napi_create_object(env, &sizes));
  if (set_u32(env, sizes, "snpReportReq", sizeof(struct snp_report_req)) == NULL ||
      set_u32(env, sizes, "snpReportResp", sizeof(struct snp_report_resp)) == NULL ||
      set_u32(env, sizes, "snpDerivedKeyReq", sizeof(struct snp_derived_key_req)) == NULL ||
      set_u32(env, sizes, "snpDerivedKeyResp", sizeof(struct snp_derived_key_resp)) == NULL ||
      set_u32(env, sizes, "snpGuestRequestIoctl", sizeof(struct snp_guest_request_ioctl)) == NULL ||
      set_u32(env, sizes, "snpExtReportReq", sizeof(struct snp_ext_report_req)) == NULL ||
      set_u32(env, sizes, "tdxReportReq", sizeof(struct tdx_report_req)) == NULL ||
      set_u32(env, sizes, "reportData", QK_REPORT_DATA_BYTES) == NULL ||
      set_u32(env, sizes, "snpReport", QK_SNP_REPORT_BYTES) == NULL ||
      set_u32(env, sizes, "snpDerivedKey", QK_SNP_DERIVED_KEY_BYTES) == NULL ||
      set_u32(env, sizes, "tdxReport", QK_TDX_REPORT_BYTES) == NULL)
    return NULL;
  CHECK(env, napi_set_named_property(env, exports, "sizes", sizes));
  CHECK(env, napi_create_object(env, &limits));
  if (set_u32(env, limits, "certsInitialBytes", QK_SNP_CERTS_INITIAL_BYTES) == NULL ||
      set_u32(env, limits, "certsMaxBytes", QK_SNP_CERTS_MAX_BYTES) == NULL ||
      set_u32(env, limits, "certsMaxAttempts", QK_SNP_CERTS_MAX_ATTEMPTS) == NULL)
    return NULL;
  CHECK(env, napi_set_named_property(env, exports, "limits", limits));
  if (set_u32(env, exports, "napiVersion", NAPI_VERSION) == NULL) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
