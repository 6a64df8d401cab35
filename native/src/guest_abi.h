/*
 * The guest-device ABI quorumkit's addon speaks, with every size pinned by _Static_assert.
 *
 * AMD SEV-SNP: the Linux uapi <linux/sev-guest.h> (request structs, SNP_GET_REPORT /
 * SNP_GET_DERIVED_KEY / SNP_GET_EXT_REPORT, exitinfo2 = VMM error << 32 | firmware error) and the
 * firmware's response layouts from the AMD SEV-SNP ABI specification (pub. 56860): MSG_REPORT_RSP
 * (status u32 @0, report_size u32 @4, reserved, ATTESTATION_REPORT @0x20, Table 22: 0x4A0 bytes)
 * and MSG_KEY_RSP (status u32 @0, reserved, derived key[32] @0x20).
 *
 * Intel TDX: Linux include/uapi/linux/tdx-guest.h (v6.2+), which many distributions do not ship,
 * so it is restated here: struct tdx_report_req { __u8 reportdata[64]; __u8 tdreport[1024]; } and
 * TDX_CMD_GET_REPORT0 = _IOWR('T', 1, struct tdx_report_req). TDREPORT_STRUCT is 1024 bytes
 * (Intel TDX Module ABI spec, TDG.MR.REPORT), REPORTDATA at offset 128 of its REPORTMACSTRUCT.
 */
#ifndef QK_GUEST_ABI_H
#define QK_GUEST_ABI_H

#include <linux/ioctl.h>
#include <linux/sev-guest.h>
#include <linux/types.h>
#include <stddef.h>

/* Sizes of the payloads (ABI spec Table 22; TDX Module ABI TDREPORT_STRUCT). */
#define QK_REPORT_DATA_BYTES 64
#define QK_SNP_REPORT_BYTES 0x4A0
#define QK_SNP_DERIVED_KEY_BYTES 32
#define QK_TDX_REPORT_BYTES 1024

/* MSG_REPORT_RSP / MSG_KEY_RSP offsets (ABI spec, "MSG_REPORT_RSP Message Structure", "MSG_KEY_RSP"). */
#define QK_SNP_RSP_STATUS 0x00
#define QK_SNP_RSP_REPORT_SIZE 0x04
#define QK_SNP_RSP_PAYLOAD 0x20

/* The message version every SNP guest request uses (the kernel rejects 0). */
#define QK_SNP_MSG_VERSION 1

/* Certificate buffer for SNP_GET_EXT_REPORT: page-aligned (the kernel rejects anything else). */
#define QK_PAGE_BYTES 4096u
#define QK_SNP_CERTS_INITIAL_BYTES (4u * QK_PAGE_BYTES)
#define QK_SNP_CERTS_MAX_BYTES (16u * QK_PAGE_BYTES)
#define QK_SNP_CERTS_MAX_ATTEMPTS 3u

#ifndef TDX_CMD_GET_REPORT0
#define TDX_REPORTDATA_LEN 64
#define TDX_REPORT_LEN 1024
struct tdx_report_req {
  __u8 reportdata[TDX_REPORTDATA_LEN];
  __u8 tdreport[TDX_REPORT_LEN];
};
#define TDX_CMD_GET_REPORT0 _IOWR('T', 1, struct tdx_report_req)
#endif

_Static_assert(sizeof(struct snp_report_req) == 96, "snp_report_req is 96 bytes");
_Static_assert(offsetof(struct snp_report_req, vmpl) == 64, "snp_report_req.vmpl at 64");
_Static_assert(sizeof(struct snp_report_resp) == 4000, "snp_report_resp is 4000 bytes");
_Static_assert(sizeof(struct snp_derived_key_req) == 32, "snp_derived_key_req is 32 bytes");
_Static_assert(offsetof(struct snp_derived_key_req, tcb_version) == 24, "snp_derived_key_req.tcb_version at 24");
_Static_assert(sizeof(struct snp_derived_key_resp) == 64, "snp_derived_key_resp is 64 bytes");
_Static_assert(sizeof(struct snp_guest_request_ioctl) == 32, "snp_guest_request_ioctl is 32 bytes");
_Static_assert(offsetof(struct snp_guest_request_ioctl, exitinfo2) == 24, "exitinfo2 at 24");
_Static_assert(sizeof(struct snp_ext_report_req) == 112, "snp_ext_report_req is 112 bytes");
_Static_assert(offsetof(struct snp_ext_report_req, certs_len) == 104, "snp_ext_report_req.certs_len at 104");
_Static_assert(sizeof(struct tdx_report_req) == 1088, "tdx_report_req is 1088 bytes");
_Static_assert(QK_SNP_RSP_PAYLOAD + QK_SNP_REPORT_BYTES <= sizeof(struct snp_report_resp), "MSG_REPORT_RSP fits");
_Static_assert(QK_SNP_RSP_PAYLOAD + QK_SNP_DERIVED_KEY_BYTES <= sizeof(struct snp_derived_key_resp), "MSG_KEY_RSP fits");

#endif
