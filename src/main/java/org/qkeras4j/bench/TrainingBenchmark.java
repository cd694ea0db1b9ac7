package org.qkeras4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.model.ExampleModels;
import org.qkeras4j.model.Model;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.TrainingTimer;

/**
 * Training throughput (samples per second through {@code fit}: forward, loss, backward,
 * optimizer step, constraints) of two reference networks, each float and quantized, measured in
 * one run so the quantized/float ratio is comparable across machines:
 * <ul>
 *   <li>the QKeras tutorial CNN on Fashion-MNIST-shaped input (batch 128), float vs the
 *       tutorial's ternary quantizers;
 *   <li>the jet-tagging MLP 16-64-32-32-5 (batch 1024), float vs {@code quantized_bits(6,0,alpha=1)}
 *       weights and biases with {@code quantized_relu(6)} activations.
 * </ul>
 * Inputs and labels are random (speed does not depend on them); Adam, sparse categorical
 * cross-entropy. The two variants take turns: {@code warmup} untimed rounds, then {@link #ROUNDS}
 * timed ones, each of {@code steps} training steps. (Warm-up is counted in rounds so that the
 * MLP, whose steps take milliseconds, warms up as long as the CNN: Java compiles the paths of a
 * network while it trains, on the same two cores.)
 *
 * <p>Why rounds and medians: on a shared machine the load from elsewhere comes and goes over
 * seconds, and a burst can double a round's time. Each variant reports its median round, and the
 * ratio is the median of the per-round ratios (each quantized round over the float round just
 * before it), so a slow spell lands on both sides of most ratios and a few lucky or unlucky
 * rounds move nothing.
 */
public final class TrainingBenchmark {

  /** One network of the benchmark, float and quantized. */
  public record Case(String name, String floatModel, String quantizedModel, int batchSize, long[] sampleShape,
      int classes) {}

  /**
   * One measured variant: its median samples per second over the rounds, and for the quantized
   * variant the median of its per-round speed ratios to float ({@code NaN} on the float row);
   * {@code error} is set (and the numbers NaN) when it could not run.
   */
  public record Row(String network, String variant, String model, int batchSize, int steps, double samplesPerSecond,
      double quantizedOverFloat, String error) {}

  public static final Case TUTORIAL_CNN = new Case("tutorial CNN", ExampleModels.TUTORIAL_CNN_FLOAT,
      ExampleModels.TUTORIAL_CNN_TERNARY, 128, new long[] {28, 28, 1}, 10);
  public static final Case JET_TAGGER = new Case("jet tagger MLP", ExampleModels.JET_TAGGER_FLOAT,
      ExampleModels.JET_TAGGER_Q6, 1024, new long[] {16}, 5);

  private TrainingBenchmark() {}

  /** Rounds of timed steps per variant, float and quantized alternating (odd: a median is one round). */
  public static final int ROUNDS = 21;

  /**
   * Measures both networks: {@code cnnSteps} timed steps per round for the CNN and
   * {@code mlpSteps} for the MLP, after {@code warmup} untimed rounds.
   */
  public static List<Row> run(int cnnSteps, int mlpSteps, int warmup, long seed) {
    List<Row> rows = new ArrayList<>();
    rows.addAll(measure(TUTORIAL_CNN, cnnSteps, warmup, seed));
    rows.addAll(measure(JET_TAGGER, mlpSteps, warmup, seed));
    return rows;
  }

  /** Float and quantized variant of one case, alternating for {@link #ROUNDS} rounds. */
  public static List<Row> measure(Case c, int steps, int warmup, long seed) {
    if (steps < 1 || warmup < 0) {
      throw new IllegalArgumentException("steps must be >= 1 and warmup >= 0, got " + steps + " and " + warmup);
    }
    Dataset timed = randomData(c, steps * c.batchSize(), seed);
    Dataset warm = warmup == 0 ? null : randomData(c, steps * c.batchSize(), seed + 1);
    String[] variants = {"float", "quantized"};
    String[] names = {c.floatModel(), c.quantizedModel()};
    Model[] models = new Model[2];
    String[] errors = new String[2];
    double[][] speeds = new double[2][ROUNDS];
    Engines.get();
    try {
      for (int v = 0; v < 2; v++) {
        try {
          Engines.seed(seed);
          models[v] = ExampleModels.build(names[v]);
          models[v].compile("adam", "sparse_categorical_crossentropy");
        } catch (RuntimeException e) {
          errors[v] = message(e);
        }
      }
      for (int round = -warmup; round < ROUNDS; round++) {
        for (int v = 0; v < 2; v++) {
          if (errors[v] != null) {
            continue;
          }
          try {
            if (round < 0) {
              models[v].fit(warm, options(c, seed).build());
              continue;
            }
            TrainingTimer timer = new TrainingTimer();
            models[v].fit(timed, options(c, seed).addCallback(timer).build());
            speeds[v][round] = timer.samplesPerSecond(timed.size());
          } catch (RuntimeException e) {
            errors[v] = message(e);
          }
        }
      }
    } finally {
      for (Model m : models) {
        if (m != null) {
          m.close();
        }
      }
    }
    double[] ratios = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      ratios[round] = speeds[1][round] / speeds[0][round];
    }
    double ratio = errors[0] == null && errors[1] == null ? median(ratios) : Double.NaN;
    List<Row> rows = new ArrayList<>();
    for (int v = 0; v < 2; v++) {
      rows.add(new Row(c.name(), variants[v], names[v], c.batchSize(), steps,
          errors[v] == null ? median(speeds[v]) : Double.NaN, v == 1 ? ratio : Double.NaN, errors[v]));
    }
    return rows;
  }

  /** The middle value (of an odd count; the upper middle of an even one). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static FitOptions.Builder options(Case c, long seed) {
    return FitOptions.builder().optBatchSize(c.batchSize()).optVerbose(0).optSeed(seed);
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Uniform [0, 1) inputs of the case's sample shape and uniformly random class labels. */
  static Dataset randomData(Case c, int n, long seed) {
    Random r = new Random(seed);
    long[] shape = new long[c.sampleShape().length + 1];
    shape[0] = n;
    System.arraycopy(c.sampleShape(), 0, shape, 1, c.sampleShape().length);
    float[] x = new float[Math.toIntExact(HostTensor.elementCount(shape))];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(c.classes());
    }
    return new Dataset(new HostTensor(x, shape), new HostTensor(y, n));
  }

  /** The quantized/float speed ratio measured for {@code network}, or NaN if either variant is missing. */
  public static double ratio(List<Row> rows, String network) {
    for (Row r : rows) {
      if (r.network().equals(network) && r.variant().equals("quantized")) {
        return r.quantizedOverFloat();
      }
    }
    return Double.NaN;
  }
}
