/*
 * The blocking guest-device calls (no N-API here): open the device, issue one SEV-SNP or TDX ioctl,
 * check the firmware's answer, classify any failure. Run from napi_create_async_work's execute
 * callback, on a libuv worker thread — never on the event loop.
 */
#ifndef QK_GUEST_H
#define QK_GUEST_H

#include <stdint.h>

#include "guest_abi.h"

/* How a call failed; the JS side maps each to a QuorumkitError subclass (src/tee/node/errors.ts). */
typedef enum {
  QK_OK = 0,
  QK_E_DEVICE_ABSENT,    /* ENOENT, ENODEV, ENXIO: no such guest device */
  QK_E_PERMISSION,       /* EACCES, EPERM */
  QK_E_INVALID,          /* EINVAL: the driver refused the request */
  QK_E_FIRMWARE,         /* EIO with a firmware error in exitinfo2, or a non-zero MSG_*_RSP status */
  QK_E_VMM,              /* EIO with a VMM (hypervisor) error in exitinfo2 */
  QK_E_IO,               /* EIO without either code (TDX: the TDCALL failed) */
  QK_E_BUSY,             /* EBUSY, EAGAIN, or the VMM's BUSY */
  QK_E_CERTS_TOO_LARGE,  /* SNP_GET_EXT_REPORT wants a certificate buffer beyond the cap */
  QK_E_MALFORMED,        /* the firmware answered with a wrong report size */
  QK_E_OTHER             /* any other errno */
} qk_kind;

/* The outcome of one call: kind, errno and the codes that explain it (no secret material). */
typedef struct {
  qk_kind kind;
  int err;
  const char *op;
  uint32_t fw_error;
  uint32_t vmm_error;
  uint32_t status;
  uint32_t certs_needed;
  uint32_t attempts;
} qk_result;

/* The stable name of a kind ("DEVICE_ABSENT", ...). */
const char *qk_kind_name(qk_kind kind);
/* The symbolic name of an errno ("ENOENT", ...; "E<n>" for others). */
const char *qk_errno_name(int err, char *buf, unsigned len);

void qk_snp_report(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES], uint32_t vmpl,
                   uint8_t out[QK_SNP_REPORT_BYTES], qk_result *r);
/* On success *certs is a malloc'd page-aligned buffer of *certs_len bytes (the caller frees it). */
void qk_snp_ext_report(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES], uint32_t vmpl,
                       uint8_t out[QK_SNP_REPORT_BYTES], uint8_t **certs, uint32_t *certs_len, qk_result *r);
void qk_snp_derived_key(const char *path, const struct snp_derived_key_req *req,
                        uint8_t out[QK_SNP_DERIVED_KEY_BYTES], qk_result *r);
void qk_tdx_report0(const char *path, const uint8_t report_data[QK_REPORT_DATA_BYTES],
                    uint8_t out[QK_TDX_REPORT_BYTES], qk_result *r);

#endif
