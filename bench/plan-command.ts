/** The node arguments `npm start` runs the plan with (package.json's start script), so benchmarks measure exactly that. */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../plan/stack-config";

export function planNodeArgs(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
    const [command, ...args] = pkg.scripts.start.split(/\s+/);
    if (command !== "node") throw new Error(`package.json start script does not run node: ${pkg.scripts.start}`);
    return args;
}
