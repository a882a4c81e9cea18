import { performance } from 'node:perf_hooks';
import { InferenceSession } from 'onnxruntime-node';
import { AsrqRuntimeError } from './errors.js';
import { RUNTIME_DEFAULTS } from './defaults.js';

/** onnxruntime session settings asrq exposes. Benchmarks default to one intra-op thread so numbers compare. */
export interface SessionSettings {
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Inter-op threads (only used with executionMode 'parallel'; default 1). */
  interOpThreads?: number;
  /** Graph optimisation level (default 'all', which lets onnxruntime fuse int8 patterns). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Execution mode (default 'sequential'). */
  executionMode?: 'sequential' | 'parallel';
  /**
   * Whether idle intra-op threads spin while they wait for work (`session.intra_op.allow_spinning`;
   * default true, onnxruntime's own default). Only matters with more than one thread.
   */
  spinning?: boolean;
  /**
   * onnxruntime's `session.dynamic_block_base`: with more than one thread, splits each parallel
   * loop into blocks that shrink as the work runs out (0, the default, keeps onnxruntime's static split).
   */
  dynamicBlockBase?: number;
  /** Write onnxruntime's per-node profile to files starting with this path (profiling off when absent). */
  profileFilePrefix?: string;
}

/** {@link SessionSettings} with every default filled in. */
export type ResolvedSessionSettings = Required<Omit<SessionSettings, 'profileFilePrefix'>> &
  Pick<SessionSettings, 'profileFilePrefix'>;

/**
 * Fills in the defaults of {@link SessionSettings}: 1 intra-op and 1 inter-op thread,
 * optimisation level 'all', sequential execution, spinning threads, static loop split, no profiling.
 * @param settings - What the caller chose.
 * @returns The settings in effect.
 */
export function resolveSessionSettings(settings: SessionSettings = {}): ResolvedSessionSettings {
  return {
    threads: settings.threads ?? RUNTIME_DEFAULTS.session.threads,
    interOpThreads: settings.interOpThreads ?? RUNTIME_DEFAULTS.session.interOpThreads,
    graphOptimizationLevel: settings.graphOptimizationLevel ?? RUNTIME_DEFAULTS.session.graphOptimizationLevel,
    executionMode: settings.executionMode ?? RUNTIME_DEFAULTS.session.executionMode,
    spinning: settings.spinning ?? RUNTIME_DEFAULTS.session.spinning,
    dynamicBlockBase: settings.dynamicBlockBase ?? RUNTIME_DEFAULTS.session.dynamicBlockBase,
    ...(settings.profileFilePrefix === undefined ? {} : { profileFilePrefix: settings.profileFilePrefix }),
  };
}

/**
 * The onnxruntime session options for asrq's settings (warnings silenced: onnxruntime's own
 * log lines about unused initializers and the like are noise for users).
 * @param settings - asrq session settings.
 * @returns Options for `InferenceSession.create`.
 */
export function sessionOptions(settings: SessionSettings = {}): InferenceSession.SessionOptions {
  const resolved = resolveSessionSettings(settings);
  return {
    intraOpNumThreads: resolved.threads,
    interOpNumThreads: resolved.interOpThreads,
    graphOptimizationLevel: resolved.graphOptimizationLevel,
    executionMode: resolved.executionMode,
    logSeverityLevel: 3,
    extra: {
      session: {
        intra_op: { allow_spinning: resolved.spinning ? '1' : '0' },
        dynamic_block_base: String(resolved.dynamicBlockBase),
      },
    },
    ...(resolved.profileFilePrefix === undefined
      ? {}
      : { enableProfiling: true, profileFilePrefix: resolved.profileFilePrefix }),
  };
}

/** A created session and how long creating it took. */
export interface OpenedSession {
  session: InferenceSession;
  /** Seconds spent in `InferenceSession.create` (graph optimisation included). */
  loadSec: number;
  settings: ResolvedSessionSettings;
}

/**
 * Creates an onnxruntime-node session: the one place asrq does so, for inference,
 * calibration, validation, sensitivity and the planner's timing alike.
 * @param model - ONNX file path or the serialized model bytes.
 * @param settings - Threads, optimisation level, profiling.
 * @param name - How to name the model in an error (default: the path, or "the model").
 * @returns The session, its creation time and the settings in effect.
 * @throws AsrqError `RUNTIME_BAD_MODEL` when onnxruntime refuses the model.
 */
export async function openSession(
  model: string | Uint8Array,
  settings: SessionSettings = {},
  name?: string,
): Promise<OpenedSession> {
  const started = performance.now();
  try {
    const session = await InferenceSession.create(model as string, sessionOptions(settings));
    return { session, loadSec: (performance.now() - started) / 1000, settings: resolveSessionSettings(settings) };
  } catch (cause) {
    const what = name ?? (typeof model === 'string' ? model : 'the model');
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_MODEL',
      `onnxruntime could not load ${what}: ${(cause as Error).message.split('\n')[0]}. Check that it is a complete ONNX file that onnxruntime 1.30 supports.`,
      { cause },
    );
  }
}
