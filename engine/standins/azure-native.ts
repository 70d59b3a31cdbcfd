/** Entry point of the stand-in `pulumi-resource-azure-native` plugin (engine/bin/providers/). */
import { main } from "@pulumi/pulumi/provider";
import { version } from "@pulumi/azure-native/package.json";
import { standInProvider } from "./provider";

void main(standInProvider({ pkg: "azure-native", version }), process.argv.slice(2));
