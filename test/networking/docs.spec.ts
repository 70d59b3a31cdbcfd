import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../plan/stack-config";
import { managedNamespaces } from "../../components/kubernetes/namespace-specs";
import { platformFlows } from "../../components/networking/flows";
import {
    expectedFlowsBlock,
    FLOWS_END_MARKER,
    FLOWS_START_MARKER,
    readmeFlowsBlock,
    renderFlowsMarkdown,
    renderFlowsMermaid,
    updateReadme,
} from "../../components/networking/docs";
import { STACKS, stackConfig } from "./support";

describe("networking: docs rendered from the flows", () => {
    it("README.md carries the dev stack's flows table and diagram between the markers, up to date", () => {
        const file = path.join(REPO_ROOT, "README.md");
        assert.ok(fs.existsSync(file), "README.md is missing; create it and run `npm run docs`");
        const block = readmeFlowsBlock(fs.readFileSync(file, "utf8"));
        assert.ok(block !== undefined, `README.md has no ${FLOWS_START_MARKER} ... ${FLOWS_END_MARKER} block: run \`npm run docs\``);
        assert.ok(block === expectedFlowsBlock(stackConfig("dev")), "README.md's flows block is stale (the flows or the dev stack changed): run `npm run docs`");
    });

    for (const stack of STACKS) {
        it(`${stack}: the table has the two baseline rows and one row per flow, naming its ports`, () => {
            const config = stackConfig(stack);
            const flows = platformFlows(config);
            const rows = renderFlowsMarkdown(config).trimEnd().split("\n").slice(2);
            assert.strictEqual(rows.length, flows.length + 2);
            flows.forEach((f, i) => {
                assert.ok(rows[i + 2].startsWith(`| \`${f.name}\` |`), rows[i + 2]);
                for (const p of f.ports) assert.ok(rows[i + 2].includes(`${p.port}/${p.protocol}`), `${f.name} row names ${p.port}/${p.protocol}`);
            });
        });

        it(`${stack}: the diagram has one edge per flow and a DNS edge per managed namespace`, () => {
            const config = stackConfig(stack);
            const lines = renderFlowsMermaid(config).split("\n");
            assert.strictEqual(lines[0], "flowchart LR");
            assert.strictEqual(lines.filter((l) => / --> /.test(l) || /-->\|/.test(l)).length, platformFlows(config).length);
            assert.strictEqual(lines.filter((l) => l.includes("-.->")).length, managedNamespaces(config).length);
            for (const ns of managedNamespaces(config)) assert.ok(lines.some((l) => l.includes(`subgraph`) && l.includes(`namespace ${ns.name}`)), ns.name);
        });
    }

    describe("updateReadme", () => {
        const config = stackConfig("dev");
        let dir: string;
        beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "flows-readme-")); });
        afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

        it("replaces only the text between the markers, and reports no change the second time", () => {
            const file = path.join(dir, "README.md");
            fs.writeFileSync(file, `# Title\n\nbefore\n${FLOWS_START_MARKER}\nold\n${FLOWS_END_MARKER}\nafter\n`);
            assert.strictEqual(updateReadme(file, config), true);
            const text = fs.readFileSync(file, "utf8");
            assert.ok(text.startsWith(`# Title\n\nbefore\n${FLOWS_START_MARKER}`));
            assert.ok(text.endsWith(`${FLOWS_END_MARKER}\nafter\n`));
            assert.strictEqual(readmeFlowsBlock(text), expectedFlowsBlock(config));
            assert.strictEqual(updateReadme(file, config), false);
        });

        it("appends a Network flows section with the markers when they are missing", () => {
            const file = path.join(dir, "README.md");
            fs.writeFileSync(file, "# Title\n");
            assert.strictEqual(updateReadme(file, config), true);
            const text = fs.readFileSync(file, "utf8");
            assert.ok(text.startsWith("# Title\n\n## Network flows\n"));
            assert.strictEqual(readmeFlowsBlock(text), expectedFlowsBlock(config));
        });

        it("refuses a missing README", () => {
            assert.throws(() => updateReadme(path.join(dir, "nope.md"), config), /no README/);
        });
    });
});
