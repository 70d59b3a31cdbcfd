/**
 * Role assignment names: RFC 9562 name-based (version 5) UUIDs of (scope, role, principal), so the
 * same assignment gets the same name after lost state (Azure allows one assignment per scope, role
 * and principal), and a changed derivation would rename every assignment on the next `up`.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import { nameBasedGuid } from "../../components/azure/roles";
import { ofType, STACKS, stackRun } from "../support/runs";

/** RFC 9562 section 5.5 (UUIDv5): SHA-1 over the namespace's 16 bytes then the name, version 5, variant 10. */
function uuidV5(namespace: string, name: string): string {
    const hash = createHash("sha1").update(Buffer.from(namespace.replace(/-/g, ""), "hex")).update(name).digest();
    hash[6] = (hash[6] & 0x0f) | 0x50;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const h = hash.subarray(0, 16).toString("hex");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

/** The project's own namespace UUID (components/azure/roles.ts): changing it renames every assignment. */
const PLATFORM_NAMESPACE = "6f1c2a9e-5b7d-4e3a-8c0f-9d2b1a4e7c65";
const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("role assignment names (nameBasedGuid)", () => {
    it("computes UUIDv5 as RFC 9562 does (this test's reference, checked on the RFC's own example)", () => {
        // RFC 9562, Appendix A.4: the DNS namespace and "www.example.com".
        assert.strictEqual(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    });

    it("is the UUIDv5 of the lower-cased parts, one per line, in the platform's namespace", () => {
        const scope = "/subscriptions/0000/resourceGroups/RG/providers/Microsoft.Network/dnszones/Example.com";
        const role = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/befefa01-2a29-4197-83a8-272ff33ce314";
        const principal = "11111111-2222-3333-4444-555555555555";
        const name = nameBasedGuid(scope, role, principal);
        assert.match(name, V5);
        assert.strictEqual(name, uuidV5(PLATFORM_NAMESPACE, [scope, role, principal].map((p) => p.toLowerCase()).join("\n")));
    });

    it("ignores case (Azure resource ids are case-insensitive) but not where one part ends and the next begins", () => {
        assert.strictEqual(nameBasedGuid("/Subscriptions/A/ResourceGroups/RG", "Role"), nameBasedGuid("/subscriptions/a/resourcegroups/rg", "role"));
        assert.notStrictEqual(nameBasedGuid("ab", "c"), nameBasedGuid("a", "bc"));
        assert.notStrictEqual(nameBasedGuid("a", "b"), nameBasedGuid("b", "a"));
    });

    for (const stack of STACKS) {
        it(`${stack}: every assignment names its role by the subscription-level role definition id`, async () => {
            const run = await stackRun(stack);
            const roles = ofType(run.resources, "azure-native:authorization:RoleAssignment");
            assert.ok(roles.length >= 4);
            for (const r of roles) {
                assert.match(String(r.props.roleDefinitionId), /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/, r.name);
                assert.match(String(r.props.roleAssignmentName), V5, r.name);
            }
        });
    }
});
