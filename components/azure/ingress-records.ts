import * as pulumi from "@pulumi/pulumi";
import * as dns from "@pulumi/azure-native/dns";
import { childOptions } from "../component";

export interface IngressRecordsArgs {
    /** Resource group of the zone. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** The zone's name. Required. */
    zoneName: pulumi.Input<string>;
    /** The ingress controller's static IP. Required. */
    address: pulumi.Input<string>;
    /** TTL in seconds. Required. */
    ttl: number;
}

/** Names served by the ingress controller: the apex and `*` (every app host), both on the static IP. */
export const INGRESS_RECORD_NAMES: readonly string[] = ["@", "*"];

/** A records for the apex and the wildcard, pointing at the ingress IP. */
export class IngressRecords extends pulumi.ComponentResource {
    constructor(name: string, args: IngressRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:IngressRecords", name, {}, opts);
        for (const record of INGRESS_RECORD_NAMES) {
            new dns.RecordSet(`${name}-${record === "@" ? "apex" : "wildcard"}`, {
                resourceGroupName: args.resourceGroupName,
                zoneName: args.zoneName,
                relativeRecordSetName: record,
                recordType: "A",
                ttl: args.ttl,
                aRecords: [{ ipv4Address: args.address }],
            }, childOptions(this, opts));
        }
        this.registerOutputs({});
    }
}
