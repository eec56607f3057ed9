import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENTRY_METADATA_KEY } from '../../../lib/contract/stack-contract.js';
import { ProvisionError } from '../shared/errors.js';
import { LAYER_MOUNT_PREFIX, localLayerPaths } from './layer-paths.js';
import { makeLambdaContext } from '../gateway/proxy-event.js';
import type { TemplateResolver } from '../template/resolver.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A template Lambda function that can run in this process. */
export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** Handler module relative to the repository root. */
  entry: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutMs: number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * The template's Lambda functions that carry a handler entry, invoked in-process: each call sets
 * the function's template environment (names resolved to local resources) on process.env, as the
 * Lambda runtime would (with layer files under /opt mapped to their local twins), then calls the
 * exported handler. Functions share one process, so two functions must not set the same variable to
 * different values.
 */
export class LambdaRegistry {
  private readonly byName = new Map<string, LocalFunction>();
  private readonly modules = new Map<string, Promise<Handler>>();

  /**
   * @param layerPaths - the local twins of the layer's files (see {@link localLayerPaths}), asked for only when a
   *   function names one: most run no model and need no model card
   */
  constructor(
    resolver: TemplateResolver,
    private readonly extraEnvironment: Record<string, string> = {},
    layerPaths: () => Record<string, string> = () => localLayerPaths(),
  ) {
    let twinsRead: Record<string, string> | undefined;
    const twins = (): Record<string, string> => (twinsRead ??= layerPaths());
    for (const logicalId of resolver.ofType('AWS::Lambda::Function')) {
      const resource = resolver.resource(logicalId);
      const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
      if (typeof entry !== 'string') continue; // CDK's own custom-resource handlers
      const props = resource.Properties ?? {};
      const handler = String(props.Handler ?? 'index.handler');
      const variables = ((props.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<string, unknown>;
      const environment = resolver.resolve(variables) as Record<string, unknown>;
      for (const [name, value] of Object.entries(environment)) {
        if (typeof value !== 'string' || !value.startsWith(LAYER_MOUNT_PREFIX)) continue;
        const local = twins()[value];
        if (local === undefined) throw new ProvisionError(logicalId, `${name}=${value} names a layer file that has no local twin (lambdas/local/lambda/layer-paths.ts)`);
        environment[name] = local;
      }
      const fn: LocalFunction = {
        logicalId,
        name: resolver.physicalName(logicalId),
        arn: resolver.attribute(logicalId, 'Arn'),
        entry,
        exportName: handler.slice(handler.lastIndexOf('.') + 1),
        environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)])),
        timeoutMs: Number(props.Timeout ?? 3) * 1000,
      };
      this.byName.set(fn.name, fn);
      this.byName.set(fn.arn, fn);
      this.byName.set(logicalId, fn);
    }
  }

  /** By logical ID, function name or ARN (a `:qualifier` suffix is ignored). */
  find(ref: string): LocalFunction | undefined {
    return this.byName.get(ref) ?? this.byName.get(ref.replace(/:(\$LATEST|\d+|[A-Za-z][\w-]*)$/, ''));
  }

  all(): LocalFunction[] {
    return [...new Set(this.byName.values())];
  }

  /** Loads the handler without calling it. */
  async handler(fn: LocalFunction): Promise<Handler> {
    let loaded = this.modules.get(fn.logicalId);
    if (loaded === undefined) {
      this.applyEnvironment(fn);
      loaded = import(pathToFileURL(`${REPO_ROOT}${fn.entry}`).href).then((module: Record<string, unknown>) => {
        const exported = module[fn.exportName];
        if (typeof exported !== 'function') throw new ProvisionError(fn.logicalId, `${fn.entry} does not export a function ${fn.exportName}`);
        return exported as Handler;
      });
      this.modules.set(fn.logicalId, loaded);
    }
    return loaded;
  }

  /** Invokes a function with `event` and a Lambda context, as Lambda would. */
  async invoke(ref: string, event: unknown, region: string, accountId: string, requestId?: string): Promise<unknown> {
    const fn = this.find(ref);
    if (fn === undefined) throw new ProvisionError(ref, 'no such local function (or it has no timbre:entry metadata)');
    const handler = await this.handler(fn);
    this.applyEnvironment(fn);
    return handler(event, makeLambdaContext(fn.name, region, accountId, fn.timeoutMs, requestId));
  }

  private applyEnvironment(fn: LocalFunction): void {
    const { NODE_OPTIONS: _runtimeOnly, ...environment } = fn.environment;
    // NODE_OPTIONS configures the Lambda runtime's node, not a module loaded into this one.
    Object.assign(process.env, environment, this.extraEnvironment);
  }
}
