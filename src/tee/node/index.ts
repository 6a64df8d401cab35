// quorumkit/tee/node — fetching TEE evidence (Node only): configfs-tsm (Linux ≥ 6.7) and the
// SEV-SNP / TDX guest devices through the optional native addon (native/). Parsing and
// verification are in quorumkit/tee (browser-safe).

export { tsmReport, nodeTsmFs, TSM_REPORT_ROOT, type TsmFs, type TsmReport, type TsmReportOptions } from './configfs-tsm.js';
export {
  snpGetReport,
  snpGetExtReport,
  snpGetDerivedKey,
  tdxGetReport0,
  sevGuestDevicePath,
  tdxGuestDevicePath,
  SEV_GUEST_DEVICE,
  TDX_GUEST_DEVICE,
  GUEST_REPORT_DATA_BYTES,
  TDX_REPORT_BYTES,
  TDX_REPORT_REPORTDATA_OFFSET,
  SNP_DERIVED_KEY_BYTES,
  type GuestDeviceOptions,
  type SnpReportOptions,
  type SnpExtReport,
  type SnpDerivedKeyRequest,
} from './guest-device.js';
export { nativeAddonStatus, GUEST_ABI_SIZES, NATIVE_ADDON_RELATIVE_PATH, type NativeAddonStatus } from './native-addon.js';
export * from './errors.js';
export { nodeTdxEngine } from './tdx-engine.js';
