// Typed errors of the guest devices (the pattern of src/core/errors.ts): the native addon's failure
// kinds (native/src/guest.h) as QuorumkitError subclasses, each with a static `code` and the HTTP
// `status` a service answers with. errno → class: ENOENT/ENODEV/ENXIO → TeeDeviceAbsentError,
// EACCES/EPERM → TeeDevicePermissionError, EINVAL → TeeDeviceRejectedError, EBUSY/EAGAIN (and the
// VMM's BUSY) → TeeDeviceBusyError, EIO → TeeFirmwareError / TeeVmmError by exitinfo2's halves
// (Linux <linux/sev-guest.h>: bits 63:32 VMM error, 31:0 firmware error) or TeeDeviceIoError,
// anything else → TeeDeviceError. `details` carry errno, the codes and the device path — never
// report data or key material. Node-only module (no node:* imports, but only tee/node throws these).

import { QuorumkitError } from '../../core/errors.js';

/** The native addon is not built, not loadable, or switched off (`ERR_TEE_NATIVE_UNAVAILABLE`, 503). */
export class TeeNativeUnavailableError extends QuorumkitError {
  static override readonly code: string = 'ERR_TEE_NATIVE_UNAVAILABLE';
  static override readonly status: number = 503;
}

/** A guest-device call failed with an errno no narrower class covers (`ERR_TEE_DEVICE`, 500). */
export class TeeDeviceError extends QuorumkitError {
  static override readonly code: string = 'ERR_TEE_DEVICE';
  static override readonly status: number = 500;
}

/** No such guest device: not a confidential VM, or the driver is not loaded (`ERR_TEE_DEVICE_ABSENT`, 503). */
export class TeeDeviceAbsentError extends TeeDeviceError {
  static override readonly code: string = 'ERR_TEE_DEVICE_ABSENT';
  static override readonly status: number = 503;
}

/** This process may not open or use the guest device (`ERR_TEE_DEVICE_PERMISSION`, 500). */
export class TeeDevicePermissionError extends TeeDeviceError {
  static override readonly code: string = 'ERR_TEE_DEVICE_PERMISSION';
  static override readonly status: number = 500;
}

/** The driver refused the request as invalid, EINVAL (`ERR_TEE_DEVICE_REJECTED`, 500). */
export class TeeDeviceRejectedError extends TeeDeviceError {
  static override readonly code: string = 'ERR_TEE_DEVICE_REJECTED';
  static override readonly status: number = 500;
}

/** The device or the hypervisor is busy; retry later (`ERR_TEE_DEVICE_BUSY`, 503). */
export class TeeDeviceBusyError extends TeeDeviceError {
  static override readonly code: string = 'ERR_TEE_DEVICE_BUSY';
  static override readonly status: number = 503;
}

/** The request reached the TEE and failed there, EIO without a firmware or VMM code (`ERR_TEE_DEVICE_IO`, 502). */
export class TeeDeviceIoError extends TeeDeviceError {
  static override readonly code: string = 'ERR_TEE_DEVICE_IO';
  static override readonly status: number = 502;
}

/** The SEV-SNP firmware failed the request: exitinfo2's firmware error or the response's status (`ERR_TEE_FIRMWARE`, 502). */
export class TeeFirmwareError extends TeeDeviceIoError {
  static override readonly code: string = 'ERR_TEE_FIRMWARE';
  static override readonly status: number = 502;
}

/** The hypervisor failed the request: exitinfo2's VMM error (`ERR_TEE_VMM`, 502). */
export class TeeVmmError extends TeeDeviceIoError {
  static override readonly code: string = 'ERR_TEE_VMM';
  static override readonly status: number = 502;
}

/** SNP_GET_EXT_REPORT wants a certificate buffer beyond quorumkit's cap, or kept growing (`ERR_TEE_CERTS_TOO_LARGE`, 502). */
export class TeeCertsTooLargeError extends TeeVmmError {
  static override readonly code: string = 'ERR_TEE_CERTS_TOO_LARGE';
  static override readonly status: number = 502;
}

/** The error codes of quorumkit/tee/node's device access. Stable: new codes may be added, none renamed. */
export type TeeDeviceErrorCode =
  | 'ERR_TEE_NATIVE_UNAVAILABLE'
  | 'ERR_TEE_DEVICE'
  | 'ERR_TEE_DEVICE_ABSENT'
  | 'ERR_TEE_DEVICE_PERMISSION'
  | 'ERR_TEE_DEVICE_REJECTED'
  | 'ERR_TEE_DEVICE_BUSY'
  | 'ERR_TEE_DEVICE_IO'
  | 'ERR_TEE_FIRMWARE'
  | 'ERR_TEE_VMM'
  | 'ERR_TEE_CERTS_TOO_LARGE';
