/**
 * Writes monitoring/promql/testdata/rules.json, the platform's alert rules as the Go evaluator
 * reads them (from components/kubernetes/alert-rules.ts, the only place they are written).
 * `--check` writes nothing and exits 1 when the file is out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { HELP_OPTION, parseCli } from "../policy-pack/cli-args";
import { rulesForEvaluation } from "../components/kubernetes/alert-rules";

export const RULES_JSON = path.join(__dirname, "promql", "testdata", "rules.json");

const USAGE = `Usage: node -r tsx/cjs monitoring/write-rules.ts [--check]

Writes ${path.relative(process.cwd(), RULES_JSON)} from components/kubernetes/alert-rules.ts.
  --check   write nothing; exit 1 when the file differs from what would be written
  --help    this text`;

/** The file's exact content. */
export function rulesJson(): string {
    return `${JSON.stringify({ generatedFrom: "components/kubernetes/alert-rules.ts", rules: rulesForEvaluation() }, null, 2)}\n`;
}

export function main(argv: readonly string[]): number {
    const cli = parseCli("write-rules", argv, { usage: USAGE, options: { ...HELP_OPTION, check: { type: "boolean" } } });
    if (cli.stop) return cli.code;
    const wanted = rulesJson();
    const current = fs.existsSync(RULES_JSON) ? fs.readFileSync(RULES_JSON, "utf8") : undefined;
    if (cli.values.check) {
        if (current === wanted) return 0;
        console.error(`${path.relative(process.cwd(), RULES_JSON)} is out of date: run node -r tsx/cjs monitoring/write-rules.ts`);
        return 1;
    }
    fs.mkdirSync(path.dirname(RULES_JSON), { recursive: true });
    fs.writeFileSync(RULES_JSON, wanted);
    console.log(`wrote ${path.relative(process.cwd(), RULES_JSON)} (${rulesForEvaluation().length} rules)`);
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
