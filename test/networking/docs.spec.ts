import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../plan/stack-config";
import { managedNamespaces } from "../../components/kubernetes/namespace-specs";
import { platformFlows } from "../../components/networking/flows";
import {
    expectedFlowsBlock,
    FLOWS_DOC_FILE,
    FLOWS_DOC_STACK,
    FLOWS_END_MARKER,
    FLOWS_START_MARKER,
    flowsBlock,
    renderFlowsMarkdown,
    renderFlowsMermaid,
    updateFlowsDoc,
} from "../../components/networking/docs";
import { STACKS, stackConfig } from "./support";

describe("networking: docs rendered from the flows", () => {
    it(`${FLOWS_DOC_FILE} carries the ${FLOWS_DOC_STACK} stack's flows table and diagram between the markers, up to date`, () => {
        const file = path.join(REPO_ROOT, FLOWS_DOC_FILE);
        assert.ok(fs.existsSync(file), `${FLOWS_DOC_FILE} is missing; create it and run \`npm run docs\``);
        const block = flowsBlock(fs.readFileSync(file, "utf8"));
        assert.ok(block !== undefined, `${FLOWS_DOC_FILE} has no ${FLOWS_START_MARKER} ... ${FLOWS_END_MARKER} block: run \`npm run docs\``);
        assert.ok(block === expectedFlowsBlock(stackConfig(FLOWS_DOC_STACK)), `${FLOWS_DOC_FILE}'s flows block is stale (the flows or the ${FLOWS_DOC_STACK} stack changed): run \`npm run docs\``);
    });

    it("the README carries no flows block any more (the flows live in their own page)", () => {
        assert.strictEqual(flowsBlock(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")), undefined);
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

    describe("updateFlowsDoc", () => {
        const config = stackConfig("dev");
        let dir: string;
        beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "flows-doc-")); });
        afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

        it("replaces only the text between the markers, and reports no change the second time", () => {
            const file = path.join(dir, "network-flows.md");
            fs.writeFileSync(file, `# Title\n\nbefore\n${FLOWS_START_MARKER}\nold\n${FLOWS_END_MARKER}\nafter\n`);
            assert.strictEqual(updateFlowsDoc(file, config), true);
            const text = fs.readFileSync(file, "utf8");
            assert.ok(text.startsWith(`# Title\n\nbefore\n${FLOWS_START_MARKER}`));
            assert.ok(text.endsWith(`${FLOWS_END_MARKER}\nafter\n`));
            assert.strictEqual(flowsBlock(text), expectedFlowsBlock(config));
            assert.strictEqual(updateFlowsDoc(file, config), false);
        });

        it("appends a Network flows section with the markers when they are missing", () => {
            const file = path.join(dir, "network-flows.md");
            fs.writeFileSync(file, "# Title\n");
            assert.strictEqual(updateFlowsDoc(file, config), true);
            const text = fs.readFileSync(file, "utf8");
            assert.ok(text.startsWith("# Title\n\n## Network flows\n"));
            assert.strictEqual(flowsBlock(text), expectedFlowsBlock(config));
        });

        it("refuses a missing page, naming it", () => {
            assert.throws(() => updateFlowsDoc(path.join(dir, "nope.md"), config), /no flows page at .*nope\.md/);
        });
    });
});
