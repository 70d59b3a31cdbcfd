import * as pulumi from "@pulumi/pulumi";
import * as dns from "@pulumi/azure-native/dns";
import { letsEncrypt } from "../facts";
import { childOptions } from "../component";

export interface DnsZoneArgs {
    /** Resource group of the zone. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Zone name, a validated FQDN. Required. */
    zoneName: string;
    /** Email for CAA iodef reports. Required. */
    iodefEmail: string;
    /** TTL of the zone's records in seconds. Default: 3600. */
    ttl?: number;
    /** Parent Azure DNS zone to write the NS delegation into. Default: none (delegate by hand with the `nameServers` output). */
    parentZone?: { name: string; resourceGroupName: string };
}

export interface CaaRecord {
    flags: number;
    tag: "issue" | "issuewild" | "iodef";
    value: string;
}

/** CAA: only Let's Encrypt may issue, wildcards included, and violations are reported by mail. */
export function caaRecords(iodefEmail: string): CaaRecord[] {
    return [
        { flags: 0, tag: "issue", value: letsEncrypt.caaIssuer },
        { flags: 0, tag: "issuewild", value: letsEncrypt.caaIssuer },
        { flags: 0, tag: "iodef", value: `mailto:${iodefEmail}` },
    ];
}

/** The NS record name of a child zone inside its parent ("dev" for dev.example.com in example.com). */
export function delegationRecordName(zoneName: string, parentName: string): string {
    if (!zoneName.endsWith(`.${parentName}`)) throw new Error(`zone ${zoneName} is not inside parent zone ${parentName}`);
    return zoneName.slice(0, -parentName.length - 1);
}

/** The platform's public DNS zone, with CAA and an optional delegation in a parent zone. */
export class DnsZone extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    readonly zoneName: pulumi.Output<string>;
    readonly nameServers: pulumi.Output<string[]>;
    /** The zone and, when configured, its delegation: public resolution works once these exist. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: DnsZoneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:DnsZone", name, {}, opts);
        const zone = new dns.Zone(name, {
            resourceGroupName: args.resourceGroupName,
            zoneName: args.zoneName,
            location: "global",
            zoneType: "Public",
        }, childOptions(this, opts));

        new dns.RecordSet(`${name}-caa`, {
            resourceGroupName: args.resourceGroupName,
            zoneName: zone.name,
            relativeRecordSetName: "@",
            recordType: "CAA",
            ttl: args.ttl ?? 3600,
            caaRecords: caaRecords(args.iodefEmail),
        }, childOptions(this, opts));

        this.nameServers = zone.nameServers.apply((ns) => ns ?? []);
        this.ready = [zone];
        if (args.parentZone) {
            const delegation = new dns.RecordSet(`${name}-delegation`, {
                resourceGroupName: args.parentZone.resourceGroupName,
                zoneName: args.parentZone.name,
                relativeRecordSetName: delegationRecordName(args.zoneName, args.parentZone.name),
                recordType: "NS",
                ttl: args.ttl ?? 3600,
                nsRecords: this.nameServers.apply((ns) => ns.map((nsdname) => ({ nsdname }))),
            }, childOptions(this, opts));
            this.ready.push(delegation);
        }

        this.zoneId = zone.id;
        this.zoneName = zone.name;
        this.registerOutputs({ zoneId: this.zoneId, zoneName: this.zoneName, nameServers: this.nameServers });
    }
}
