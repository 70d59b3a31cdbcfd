/**
 * One command-line style for every CLI of the project (`npm start`, `npm run policy`, `npm run netpol`,
 * and the engine tier's commands): Node's own `util.parseArgs` in strict mode, `--help` printing the
 * usage on stdout and exiting 0, an unknown or malformed flag exiting 2 with the flag named, and
 * `--format text|json` everywhere (`table` only where a command has one).
 *
 * Commands call `parseCli` from their `main(argv)` and return its exit code when it says to stop,
 * so tests run them in-process.
 */
import { parseArgs, ParseArgsConfig } from "util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Where a command prints: the console by default; commands that take an output sink pass theirs. */
export interface CliOutput {
    out(line: string): void;
    err(line: string): void;
}

const CONSOLE: CliOutput = { out: (l) => console.log(l), err: (l) => console.error(l) };

export interface CliSpec<O extends Options> {
    /** Usage text printed for `--help` (exit 0) and after a usage error (exit 2). */
    usage: string;
    options: O;
    /** Positional arguments allowed (files, a subcommand). Default: false. */
    positionals?: boolean;
    /** Default: the console. */
    output?: CliOutput;
}

/** A usage error: exit code 2 with the message and the usage. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

export type CliResult<O extends Options> =
    | { readonly stop: false; readonly values: Parsed<O>["values"]; readonly positionals: string[] }
    | { readonly stop: true; readonly code: 0 | 2 };

/** The `--help` option every command has; spread it into a spec's options. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses argv. `--help` anywhere prints the usage and stops with 0; a usage error prints
 * `<command>: <message>` and the usage on stderr and stops with 2.
 */
export function parseCli<O extends Options>(command: string, argv: readonly string[], spec: CliSpec<O>): CliResult<O> {
    const output = spec.output ?? CONSOLE;
    if (argv.includes("--help") || argv.includes("-h")) {
        output.out(spec.usage);
        return { stop: true, code: 0 };
    }
    try {
        const parsed = parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: true });
        if (!spec.positionals && parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
        return { stop: false, values: parsed.values, positionals: parsed.positionals };
    } catch (e) {
        return usageFailure(command, spec.usage, e, output);
    }
}

/** Prints a usage error (Node's own parseArgs errors included) and returns the stop-with-2 result. */
export function usageFailure(command: string, usage: string, e: unknown, output: CliOutput = CONSOLE): { stop: true; code: 2 } {
    if (!(e instanceof UsageError) && !isParseArgsError(e)) throw e;
    // Node's parseArgs messages go on with advice about '--'; the first sentence names the flag.
    const message = (e as Error).message.split(". ")[0].replace(/^Unknown option/, "unknown option");
    output.err(`${command}: ${message}`);
    output.err(usage);
    return { stop: true, code: 2 };
}

function isParseArgsError(e: unknown): boolean {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** Checks a flag's value against the allowed set, naming the flag and the choices. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be ${allowed.join(" or ")}, not '${value}'`);
    return value as T;
}

/** The output formats every command shares; `table` only where a command has one. */
export const TEXT_OR_JSON = ["text", "json"] as const;
export type TextOrJson = (typeof TEXT_OR_JSON)[number];
export const TEXT_JSON_OR_TABLE = ["text", "json", "table"] as const;
export type TextJsonOrTable = (typeof TEXT_JSON_OR_TABLE)[number];
