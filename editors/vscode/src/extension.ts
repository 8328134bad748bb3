// The VS Code client of `seloste server`: starts it over stdio for YAML files, and gives the
// register format's JSON Schema to the Red Hat YAML extension for files with the `seloste:` marker.
import { execFile } from "child_process";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The binary: `seloste.path`, else `seloste` from the PATH. */
function binary(): string {
  const configured = vscode.workspace.getConfiguration("seloste").get<string>("path");
  return configured && configured.trim() !== "" ? configured : "seloste";
}

/** The server's initializationOptions from the settings (empty ones left out). */
function initializationOptions(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("seloste");
  const options: Record<string, unknown> = { debounceMs: c.get<number>("debounceMs", 150) };
  const lang = c.get<string>("lang");
  if (lang) {
    options.lang = lang;
  }
  const config = c.get<string>("config");
  if (config) {
    options.config = config;
  }
  return options;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = binary();
  const serverOptions: ServerOptions = {
    command,
    args: ["server"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "yaml" }],
    initializationOptions: initializationOptions(),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/.seloste.yaml"),
        vscode.workspace.createFileSystemWatcher("**/*.{yaml,yml}"),
      ],
    },
  };
  client = new LanguageClient("seloste", "seloste", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(
      `seloste: could not start \`${command} server\` (${e}). Install seloste (pip install seloste) or set seloste.path.`,
    );
  }
  context.subscriptions.push(client);
}

const SCHEMA_URI = "seloste-schema://schema/register.schema.json";
const MARKER = /^(?:\uFEFF)?seloste\s*:/m;

/** Registers the format's schema with the Red Hat YAML extension for files with the marker. */
async function registerSchema(): Promise<void> {
  const yaml = vscode.extensions.getExtension("redhat.vscode-yaml");
  if (!yaml) {
    return;
  }
  const api = await yaml.activate();
  if (!api || typeof api.registerContributor !== "function") {
    return;
  }
  const schema = await new Promise<string | undefined>((resolve) => {
    execFile(binary(), ["schema"], { maxBuffer: 16 << 20 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
  if (!schema) {
    return;
  }
  api.registerContributor(
    "seloste",
    (resource: string) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource);
      return doc && MARKER.test(doc.getText(new vscode.Range(0, 0, 400, 0))) ? SCHEMA_URI : undefined;
    },
    (uri: string) => (uri === SCHEMA_URI ? schema : undefined),
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("seloste.restart", async () => {
      if (client) {
        await client.stop();
        client = undefined;
      }
      await start(context);
    }),
  );
  await start(context);
  await registerSchema();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
