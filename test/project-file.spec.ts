import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS, ConfigKeySpec } from "../components/config";

interface Declaration { type: string; items?: { type: string }; description?: string; default?: unknown }

describe("Pulumi.yaml", () => {
    const doc = parseYaml(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8")) as {
        name: string; runtime: { name: string }; stackConfigDir: string; config: Record<string, Declaration>;
    };
    const keys = Object.entries(CONFIG_KEYS as Record<string, ConfigKeySpec>);

    it("is a TypeScript Node.js project reading stacks/", () => {
        assert.strictEqual(doc.name, "aks-platform");
        assert.strictEqual(doc.runtime.name, "nodejs");
        assert.strictEqual(doc.stackConfigDir, "stacks");
    });

    it("declares every simple key the program reads, with its type, description and static default", () => {
        for (const [key, spec] of keys.filter(([, s]) => s.type !== "structured")) {
            const d = doc.config[key];
            assert.ok(d, `Pulumi.yaml does not declare ${key}`);
            assert.strictEqual(d.type, spec.type, key);
            if (spec.type === "array") assert.deepStrictEqual(d.items, { type: "string" }, key);
            assert.ok(d.description?.startsWith(spec.description), key);
            assert.deepStrictEqual(d.default, spec.default, `${key}: Pulumi.yaml default differs from components/config.ts`);
        }
    });

    it("is what `npm run docs` generates from the key table (no hand edits drift)", async () => {
        const { withProjectConfig } = await import("../plan/config-docs");
        const text = fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8");
        assert.strictEqual(withProjectConfig(text), text);
    });

    it("declares nothing the program does not read, and no structured key (Pulumi cannot type objects)", () => {
        for (const key of Object.keys(doc.config)) {
            const spec = (CONFIG_KEYS as Record<string, ConfigKeySpec>)[key];
            assert.ok(spec, `Pulumi.yaml declares unknown key ${key}`);
            assert.notStrictEqual(spec.type, "structured", key);
        }
    });
});

describe("README configuration reference", () => {
    it("matches components/config.ts (run `npm run docs` after changing a key)", async () => {
        const { CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable } = await import("../plan/config-docs");
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const a = readme.indexOf(CONFIG_START_MARKER);
        const b = readme.indexOf(CONFIG_END_MARKER);
        assert.ok(a >= 0 && b > a, "README.md lacks the config markers");
        assert.strictEqual(readme.slice(a + CONFIG_START_MARKER.length, b), renderConfigTable(), "README config table is stale: run `npm run docs`");
        for (const key of Object.keys(CONFIG_KEYS)) assert.ok(readme.includes(`aks-platform:${key}\``), key);
    });
});
