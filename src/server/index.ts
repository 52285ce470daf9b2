/** The web UI's local server (Node only): `startUiServer`, used by `xpusim ui`. */
export { isLoopback, startUiServer, type UiServer, type UiServerOptions } from "./ui-server.js";
export { MAX_API_FILE_BYTES, type FileListEntry, type FileText } from "./local-files-api.js";
export { MAX_BODY_BYTES } from "./request-guard.js";
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./security-headers.js";
