/**
 * Pulumi mocks for the offline plan and the tests (mocks are global to a process). The answers
 * themselves live in plan/answers.ts, shared with the stand-in provider plugins that the real
 * engine runs (engine/standins/), so the offline plan and the engine see the same values.
 */
import * as pulumi from "@pulumi/pulumi";
import { createdResource, invokeAnswer } from "./answers";

export { MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID, mockGuid, mockUserKubeconfig } from "./answers";

export class PlatformMocks implements pulumi.runtime.Mocks {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        return createdResource(args.type, (args.inputs ?? {}) as Record<string, unknown>, args.name);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return invokeAnswer(args.token, (args.inputs ?? {}) as Record<string, unknown>, "offline plan");
    }
}
