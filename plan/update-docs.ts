/** `npm run docs`: regenerates Pulumi.yaml's config block and the README's config reference and network flows from the code. */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, stackPlatformConfig } from "./stack-config";
import { CONFIG_END_MARKER, CONFIG_START_MARKER, renderConfigTable, replaceBetween, withProjectConfig } from "./config-docs";
import { README_STACK, updateReadme } from "../components/networking/docs";

const projectFile = path.join(REPO_ROOT, "Pulumi.yaml");
fs.writeFileSync(projectFile, withProjectConfig(fs.readFileSync(projectFile, "utf8")));

const readme = path.join(REPO_ROOT, "README.md");
const before = fs.readFileSync(readme, "utf8");
fs.writeFileSync(readme, replaceBetween(before, CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable()));
updateReadme(readme, stackPlatformConfig(README_STACK));
console.log(fs.readFileSync(readme, "utf8") === before ? "README.md is up to date" : "README.md updated");
