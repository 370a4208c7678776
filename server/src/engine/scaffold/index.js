"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeScaffold = exports.writeFileAtomic = exports.isPlainFileName = exports.installScaffold = exports.planScaffold = exports.isAppId = exports.DEFAULT_TIMEOUT_SECONDS = exports.DEFAULT_SCRIPT_DIR = exports.listApps = exports.findApp = exports.ScaffoldError = exports.APP_IDS = void 0;
/** Scaffolding of pre/post scripts: one module that the CLI and the editor command share. */
var types_1 = require("./types");
Object.defineProperty(exports, "APP_IDS", { enumerable: true, get: function () { return types_1.APP_IDS; } });
Object.defineProperty(exports, "ScaffoldError", { enumerable: true, get: function () { return types_1.ScaffoldError; } });
var apps_1 = require("./apps");
Object.defineProperty(exports, "findApp", { enumerable: true, get: function () { return apps_1.findApp; } });
Object.defineProperty(exports, "listApps", { enumerable: true, get: function () { return apps_1.listApps; } });
var plan_1 = require("./plan");
Object.defineProperty(exports, "DEFAULT_SCRIPT_DIR", { enumerable: true, get: function () { return plan_1.DEFAULT_SCRIPT_DIR; } });
Object.defineProperty(exports, "DEFAULT_TIMEOUT_SECONDS", { enumerable: true, get: function () { return plan_1.DEFAULT_TIMEOUT_SECONDS; } });
Object.defineProperty(exports, "isAppId", { enumerable: true, get: function () { return plan_1.isAppId; } });
Object.defineProperty(exports, "planScaffold", { enumerable: true, get: function () { return plan_1.planScaffold; } });
var write_1 = require("./write");
Object.defineProperty(exports, "installScaffold", { enumerable: true, get: function () { return write_1.installScaffold; } });
Object.defineProperty(exports, "isPlainFileName", { enumerable: true, get: function () { return write_1.isPlainFileName; } });
Object.defineProperty(exports, "writeFileAtomic", { enumerable: true, get: function () { return write_1.writeFileAtomic; } });
Object.defineProperty(exports, "writeScaffold", { enumerable: true, get: function () { return write_1.writeScaffold; } });
//# sourceMappingURL=index.js.map