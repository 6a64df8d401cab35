// quorumkit/tee/node — fetching TEE evidence (Node only): configfs-tsm (Linux ≥ 6.7). Parsing and
// verification are in quorumkit/tee (browser-safe).

export { tsmReport, nodeTsmFs, TSM_REPORT_ROOT, type TsmFs, type TsmReport, type TsmReportOptions } from './configfs-tsm.js';
