"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ScaffoldError = exports.APP_IDS = void 0;
/** The applications a scaffold can be made for (the CLI's `--app` names). */
exports.APP_IDS = ['generic', 'mysql', 'postgresql', 'mongodb', 'oracle', 'systemd', 'docker'];
/** A problem with the user's choices; the message is localized and ready to show. */
class ScaffoldError extends Error {
    reason;
    constructor(message, reason) {
        super(message);
        this.reason = reason;
        this.name = 'ScaffoldError';
    }
}
exports.ScaffoldError = ScaffoldError;
//# sourceMappingURL=types.js.map