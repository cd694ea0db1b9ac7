package org.qkeras4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Starts DJL the way qkeras4j needs it: offline (nothing is ever downloaded; the PyTorch native
 * library comes from the {@code pytorch-native-cpu} jar, or a CUDA one the user puts on the class
 * path) and without the CUDA probe's warnings on machines that have no GPU.
 */
public final class Engines {
  private static volatile Engine engine;

  private Engines() {}

  /** The PyTorch engine, started once per process. */
  public static Engine get() {
    Engine e = engine;
    if (e == null) {
      synchronized (Engines.class) {
        e = engine;
        if (e == null) {
          configure();
          e = Engine.getEngine("PyTorch");
          engine = e;
        }
      }
    }
    return e;
  }

  /**
   * The manager of what lives as long as the process: {@link Scalars}'s cached constants and the
   * compiled {@link ScriptedFunction}s. Never closed.
   */
  public static NDManager processManager() {
    return ProcessManager.INSTANCE;
  }

  /** Created on first use (the class is initialized then), once, by the JVM's class-init lock. */
  private static final class ProcessManager {
    static final NDManager INSTANCE = create();

    private static NDManager create() {
      get();
      NDManager m = NDManager.newBaseManager();
      m.setName("qkeras4j-process");
      return m;
    }
  }

  /** Seeds the engine's random generator (stochastic quantizers, initializers, dropout). */
  public static void seed(long seed) {
    get().setRandomSeed((int) seed);
  }

  /**
   * Runs PyTorch's operators on the calling thread only (intra-op and inter-op pools of one), so
   * that the calling thread's CPU time measures their cost whatever else the machine runs. The
   * inter-op setting takes effect only before PyTorch's first parallel work; call it early.
   */
  public static void singleThreaded() {
    get();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    try {
      ai.djl.pytorch.jni.JniUtils.setNumInteropThreads(1);
    } catch (RuntimeException e) {
      // PyTorch refuses a second inter-op setting once its pool started; intra-op is what counts.
    }
  }

  private static void configure() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.default_engine", "PyTorch");
    // A CPU-only machine makes DJL's CUDA probe log "CUDA driver version is insufficient": harmless.
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
