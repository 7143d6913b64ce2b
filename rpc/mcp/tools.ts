/**
MCP tools from the method table: one tool per method that is not rpc-only (`pod.create` → `pod_create`), its
input schema the method's params schema, its annotations the method's hints. A call goes through the same
policy and handler as on the rpc face; results are JSON text plus structuredContent, errors a tool error
carrying the same code and data an rpc client would get.
*/
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import type {RequestHandlerExtra} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {CallToolResult, ServerNotification, ServerRequest} from '@modelcontextprotocol/sdk/types.js';
import type {z} from 'zod';
import {allMethods, checkReadOnly} from '../dispatch.js';
import type {EngineHandle} from '../engine-handle.js';
import {toResponseError} from '../errors.js';
import type {Logger} from '../log.js';
import type {AnyMethod, CallContext, WorkDoneProgress} from '../methods/define.js';
import type {ServerPolicy} from '../policy.js';

export function toolName(method: string): string {
  return method.replace(/\./g, '_');
}

/** The methods served as tools: not rpc-only, and only read-only ones on a read-only server. */
export function toolMethods(policy: ServerPolicy): AnyMethod[] {
  return allMethods().filter(
    (method) => method.rpcOnly !== true && (!policy.readOnly || method.hints.readOnly),
  );
}

function textResult(value: unknown): CallToolResult {
  const structured = typeof value === 'object' && value !== null && !Array.isArray(value);
  return {
    content: [{type: 'text', text: JSON.stringify(value)}],
    ...(structured ? {structuredContent: value as Record<string, unknown>} : {}),
  };
}

function errorResult(error: unknown, cancelled: boolean): CallToolResult {
  const response = toResponseError(error, cancelled);
  const payload = {code: response.code, message: response.message, data: response.data};
  return {isError: true, content: [{type: 'text', text: JSON.stringify({error: payload})}]};
}

export interface ToolDeps {
  readonly engine: EngineHandle;
  readonly policy: ServerPolicy;
  readonly log: Logger;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
MCP progress from our work-done progress, when the call carried a progressToken. MCP wants `progress` to grow
with every notification, so it counts them; a percentage goes into the message.
*/
function progressSender(extra: Extra): (value: WorkDoneProgress) => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => undefined;
  let count = 0;
  return (value) => {
    count++;
    const text = value.kind === 'begin' ? value.title : (value.message ?? value.kind);
    const percent = value.kind !== 'end' && value.percentage !== undefined ? ` (${value.percentage}%)` : '';
    void extra
      .sendNotification({
        method: 'notifications/progress',
        params: {progressToken: token, progress: count, message: `${text}${percent}`},
      })
      .catch(() => undefined);
  };
}

export function registerTools(server: McpServer, deps: ToolDeps): void {
  for (const method of toolMethods(deps.policy)) {
    server.registerTool(
      toolName(method.name),
      {
        title: method.name,
        description: method.summary,
        inputSchema: method.params as z.ZodObject,
        annotations: {
          title: method.name,
          readOnlyHint: method.hints.readOnly,
          destructiveHint: method.hints.destructive,
          idempotentHint: method.hints.idempotent,
          openWorldHint: false,
        },
      },
      async (args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
        const ctx: CallContext = {
          method: method.name,
          signal: extra.signal,
          engine: () => deps.engine.get(),
          policy: deps.policy,
          log: deps.log,
          face: 'mcp',
          progress: progressSender(extra),
        };
        try {
          checkReadOnly(method, deps.policy.readOnly);
          // The SDK has parsed the args with the method's own schema already.
          await method.policy?.(args, ctx);
          return textResult(await method.handle(args, ctx));
        } catch (error) {
          return errorResult(error, extra.signal.aborted);
        }
      },
    );
  }
}
