/** Entry point of the stand-in `pulumi-resource-kubernetes` plugin (engine/bin/providers/). */
import { main } from "@pulumi/pulumi/provider";
import { version } from "@pulumi/kubernetes/package.json";
import { standInProvider } from "./provider";

void main(standInProvider({ pkg: "kubernetes", version }), process.argv.slice(2));
