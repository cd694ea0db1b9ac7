package org.qkeras4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerSlot;
import org.qkeras4j.model.ExampleModels;
import org.qkeras4j.model.Model;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.TrainingTimer;

/**
 * Where the training time of {@link TrainingBenchmark}'s networks goes, in CPU milliseconds of
 * the calling thread with PyTorch held to that one thread: wall-clock time on a shared machine
 * swings with other jobs, the CPU time a step needs much less. Reports the CPU time per training
 * step of each variant, and for every quantizer of the quantized networks the forward and
 * forward+backward time of one call on the very input it got in training, next to a plain
 * differentiable copy of that input.
 *
 * <p>It holds PyTorch to one thread for the rest of the process; run it in its own process
 * ({@code qkeras4j bench profile}).
 */
public final class TrainingProfile {

  /** Rounds of timed steps per variant; float and quantized alternate and each keeps its best round. */
  public static final int ROUNDS = 5;

  /** CPU milliseconds per training step of one variant (best of its rounds). */
  public record StepCost(String network, String variant, double cpuMillisPerStep) {}

  /** One quantizer call as it happens in a training step, timed on its recorded input. */
  public record QuantizerCost(String network, String layer, String argument, String quantizer, long[] shape,
      double forwardMillis, double forwardBackwardMillis, double copyMillis) {}

  /** Both parts of the profile. */
  public record Report(List<StepCost> steps, List<QuantizerCost> quantizers) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final LongSupplier CPU_CLOCK = THREADS::getCurrentThreadCpuTime;

  private TrainingProfile() {}

  /**
   * Profiles both benchmark networks: {@code rounds} alternating rounds of {@code cnnSteps}
   * (CNN) or {@code mlpSteps} (MLP) timed steps per variant after two warm-up steps, and each
   * quantizer call {@code calls} times.
   */
  public static Report run(int cnnSteps, int mlpSteps, int rounds, int calls, long seed) {
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
    }
    Engines.singleThreaded();
    List<StepCost> steps = new ArrayList<>();
    List<QuantizerCost> quantizers = new ArrayList<>();
    profile(TrainingBenchmark.TUTORIAL_CNN, cnnSteps, rounds, calls, seed, steps, quantizers);
    profile(TrainingBenchmark.JET_TAGGER, mlpSteps, rounds, calls, seed, steps, quantizers);
    return new Report(steps, quantizers);
  }

  private static void profile(TrainingBenchmark.Case c, int stepCount, int rounds, int calls, long seed,
      List<StepCost> steps, List<QuantizerCost> quantizers) {
    Dataset timed = TrainingBenchmark.randomData(c, stepCount * c.batchSize(), seed);
    Dataset warm = TrainingBenchmark.randomData(c, 2 * c.batchSize(), seed + 1);
    String[] variants = {"float", "quantized"};
    String[] names = {c.floatModel(), c.quantizedModel()};
    Model[] models = new Model[2];
    try {
      for (int v = 0; v < 2; v++) {
        Engines.seed(seed);
        models[v] = ExampleModels.build(names[v]);
        models[v].compile("adam", "sparse_categorical_crossentropy");
        models[v].fit(warm, options(c, seed).build());
      }
      double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
      for (int round = 0; round < rounds; round++) {
        for (int v = 0; v < 2; v++) {
          TrainingTimer timer = new TrainingTimer(CPU_CLOCK);
          models[v].fit(timed, options(c, seed).addCallback(timer).build());
          best[v] = Math.min(best[v], timer.seconds() * 1e3 / timer.batches());
        }
      }
      for (int v = 0; v < 2; v++) {
        steps.add(new StepCost(c.name(), variants[v], best[v]));
      }
      quantizers.addAll(quantizerCosts(c, models[1], warm, calls, seed));
    } finally {
      for (Model m : models) {
        if (m != null) {
          m.close();
        }
      }
    }
  }

  /** Records every quantizer's input during one training step, then times each call alone. */
  private static List<QuantizerCost> quantizerCosts(TrainingBenchmark.Case c, Model model, Dataset data, int calls,
      long seed) {
    List<Recorder> recorders = new ArrayList<>();
    try (NDManager keep = NDManager.newBaseManager()) {
      for (Layer layer : model.layers()) {
        if (layer instanceof QuantizedLayer ql) {
          for (QuantizerSlot slot : ql.quantizerSlots().all()) {
            if (slot.isSet()) {
              Recorder r = new Recorder(layer.name(), slot, keep);
              slot.set(r);
              recorders.add(r);
            }
          }
        }
      }
      try {
        model.fit(data.slice(0, c.batchSize()), options(c, seed).build());
      } finally {
        recorders.forEach(r -> r.slot.set(r.inner));
      }
      List<QuantizerCost> out = new ArrayList<>();
      for (Recorder r : recorders) {
        if (r.input == null) {
          continue;
        }
        double forward = time(r.input, x -> r.inner.apply(x, true), false, calls);
        double both = time(r.input, x -> r.inner.apply(x, true), true, calls);
        double copy = time(r.input, x -> Scalars.mul(x, 1), true, calls);
        out.add(new QuantizerCost(c.name(), r.layer, r.slot.argument(), r.inner.toString(),
            r.input.getShape().getShape(), forward, both, copy));
      }
      return out;
    }
  }

  /** CPU milliseconds of one call (median of {@code calls}, after two untimed ones). */
  private static double time(NDArray input, UnaryOperator<NDArray> f, boolean backward, int calls) {
    double[] ms = new double[calls];
    for (int i = -2; i < calls; i++) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        long start = CPU_CLOCK.getAsLong();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = f.apply(x);
          if (backward) {
            gc.backward(y.sum());
          }
        }
        if (i >= 0) {
          ms[i] = (CPU_CLOCK.getAsLong() - start) / 1e6;
        }
      }
    }
    Arrays.sort(ms);
    return ms[calls / 2];
  }

  private static FitOptions.Builder options(TrainingBenchmark.Case c, long seed) {
    return FitOptions.builder().optBatchSize(c.batchSize()).optVerbose(0).optSeed(seed);
  }

  /** Passes calls through to the slot's quantizer, keeping a copy of the first input. */
  private static final class Recorder implements Quantizer {
    final String layer;
    final QuantizerSlot slot;
    final Quantizer inner;
    final NDManager keep;
    NDArray input;

    Recorder(String layer, QuantizerSlot slot, NDManager keep) {
      this.layer = layer;
      this.slot = slot;
      this.inner = slot.get();
      this.keep = keep;
    }

    @Override
    public NDArray apply(NDArray x, boolean training) {
      if (input == null && training) {
        input = x.stopGradient().duplicate();
        input.attach(keep);
        // The step's scope would close it with the step's other arrays.
        NDScope.unregister(input);
      }
      return inner.apply(x, training);
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public int bits() {
      return inner.bits();
    }

    @Override
    public int integerBits() {
      return inner.integerBits();
    }

    @Override
    public boolean signed() {
      return inner.signed();
    }

    @Override
    public double min() {
      return inner.min();
    }

    @Override
    public double max() {
      return inner.max();
    }

    @Override
    public Map<String, Object> getConfig() {
      return inner.getConfig();
    }

    @Override
    public String toString() {
      return inner.toString();
    }
  }
}
