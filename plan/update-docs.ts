/** `npm run docs`: regenerates the README's config reference and network flows from the code. */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, stackPlatformConfig } from "./stack-config";
import { CONFIG_END_MARKER, CONFIG_START_MARKER, renderConfigTable, replaceBetween } from "./config-docs";
import { README_STACK, updateReadme } from "../components/networking/docs";

const readme = path.join(REPO_ROOT, "README.md");
const before = fs.readFileSync(readme, "utf8");
fs.writeFileSync(readme, replaceBetween(before, CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable()));
updateReadme(readme, stackPlatformConfig(README_STACK));
console.log(fs.readFileSync(readme, "utf8") === before ? "README.md is up to date" : "README.md updated");
