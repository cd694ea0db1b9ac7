package org.qkeras4j.cli;

import java.util.List;
import org.qkeras4j.bench.QuantizerBenchmark;
import org.qkeras4j.bench.TrainingBenchmark;
import org.qkeras4j.bench.TrainingProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qkeras4j bench}: measured speed ratios (quantized vs plain) in one run. */
@Command(
    name = "bench",
    header = "Measure quantizer and training throughput, printed as ratios within one run.",
    description = {
      "WHAT is 'quantizers' (forward+backward of each quantizer against a plain copy),",
      "'training' (samples/second of fit for the tutorial CNN, batch 128, and the",
      "jet-tagger MLP, batch 1024, each float and quantized, on random data) or",
      "'profile' (the same networks with PyTorch on one thread: CPU ms per training",
      "step, and per quantizer call of the quantized networks).",
      "Examples:",
      "  qkeras4j bench quantizers --size 262144",
      "  qkeras4j bench training --steps 10",
      "  qkeras4j bench profile --steps 10 --mlp-steps 50"
    },
    mixinStandardHelpOptions = true)
public final class BenchCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "WHAT", defaultValue = "quantizers",
      description = "What to measure: quantizers, training or profile.")
  String what;

  @Option(names = "--size", paramLabel = "N", defaultValue = "1048576", description = "quantizers: tensor elements (default 1M).")
  int size;

  @Option(names = "--iterations", paramLabel = "K", defaultValue = "20", description = "quantizers, profile: timed passes per quantizer.")
  int iterations;

  @Option(names = "--warmup", paramLabel = "K", defaultValue = "5",
      description = "Untimed passes (quantizers) or alternating rounds (training) first.")
  int warmup;

  @Option(names = "--spec", paramLabel = "SPEC", description = "quantizers: quantizers to measure (default: one per family).")
  List<String> specs;

  @Option(names = "--steps", paramLabel = "K", defaultValue = "5",
      description = "training: timed steps of the CNN per round (" + TrainingBenchmark.ROUNDS + " rounds, medians"
          + " kept); profile: per round (" + TrainingProfile.ROUNDS + " rounds, best kept).")
  int steps;

  @Option(names = "--mlp-steps", paramLabel = "K", defaultValue = "30",
      description = "training: timed steps of the MLP per round (" + TrainingBenchmark.ROUNDS + " rounds, medians"
          + " kept); profile: per round (" + TrainingProfile.ROUNDS + " rounds, best kept).")
  int mlpSteps;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "training: random seed.")
  long seed;

  @Override
  protected int doCall() {
    return switch (what) {
      case "quantizers" -> quantizers();
      case "training" -> training();
      case "profile" -> profile();
      default -> throw invalid("unknown benchmark '" + what + "'; known: quantizers, training, profile");
    };
  }

  private int quantizers() {
    if (size < 64 || iterations < 1 || warmup < 0) {
      throw invalid("--size must be >= 64, --iterations >= 1, --warmup >= 0");
    }
    info("forward+backward (training mode) on " + size + " float32 elements, " + iterations + " passes each");
    var rows = QuantizerBenchmark.run(specs == null ? QuantizerBenchmark.DEFAULT_SPECS : specs, size, warmup, iterations);
    out().printf("%-52s %12s %10s%n", "quantizer", "ms/pass", "x copy");
    for (var r : rows) {
      if (r.error() != null) {
        out().printf("%-52s %s%n", r.spec(), "error: " + r.error());
      } else {
        out().printf("%-52s %12.3f %10.2f%n", r.spec(), r.millisPerStep(), r.ratioToCopy());
      }
    }
    return OK;
  }

  private int training() {
    if (steps < 1 || mlpSteps < 1 || warmup < 0) {
      throw invalid("--steps and --mlp-steps must be >= 1, --warmup >= 0");
    }
    info("fit throughput on random data: CNN " + steps + " steps, MLP " + mlpSteps + " steps per round, "
        + TrainingBenchmark.ROUNDS + " rounds alternating float and quantized, after " + warmup
        + " warm-up rounds (Adam, sparse categorical cross-entropy); samples/s is the median round,"
        + " quant/float the median of the rounds' ratios");
    List<TrainingBenchmark.Row> rows = TrainingBenchmark.run(steps, mlpSteps, warmup, seed);
    out().printf("%-16s %-10s %-22s %6s %6s %12s %12s%n", "network", "variant", "model", "batch", "steps", "samples/s",
        "quant/float");
    boolean failed = false;
    for (TrainingBenchmark.Row r : rows) {
      if (r.error() != null) {
        failed = true;
        out().printf("%-16s %-10s %-22s %6d %6d %12s  error: %s%n", r.network(), r.variant(), r.model(), r.batchSize(),
            r.steps(), "-", r.error());
        continue;
      }
      String ratio = r.variant().equals("quantized")
          ? String.format(java.util.Locale.ROOT, "%.2f", TrainingBenchmark.ratio(rows, r.network())) : "";
      out().printf(java.util.Locale.ROOT, "%-16s %-10s %-22s %6d %6d %12.1f %12s%n", r.network(), r.variant(),
          r.model(), r.batchSize(), r.steps(), r.samplesPerSecond(), ratio);
    }
    return failed ? FAILED : OK;
  }

  private int profile() {
    if (steps < 1 || mlpSteps < 1 || iterations < 1) {
      throw invalid("--steps, --mlp-steps and --iterations must be >= 1");
    }
    info("CPU time of the calling thread, PyTorch on one thread: CNN " + steps + " steps, MLP " + mlpSteps
        + " steps, best of " + TrainingProfile.ROUNDS + " alternating rounds; each quantizer call "
        + iterations + " times (median)");
    TrainingProfile.Report report = TrainingProfile.run(steps, mlpSteps, TrainingProfile.ROUNDS, iterations, seed);
    out().printf("%-16s %-10s %14s %12s%n", "network", "variant", "CPU ms/step", "float/quant");
    for (TrainingProfile.StepCost s : report.steps()) {
      double floatMs = report.steps().stream()
          .filter(o -> o.network().equals(s.network()) && o.variant().equals("float"))
          .mapToDouble(TrainingProfile.StepCost::cpuMillisPerStep).findFirst().orElse(Double.NaN);
      String ratio = s.variant().equals("float") ? ""
          : String.format(java.util.Locale.ROOT, "%.2f", floatMs / s.cpuMillisPerStep());
      out().printf(java.util.Locale.ROOT, "%-16s %-10s %14.2f %12s%n", s.network(), s.variant(),
          s.cpuMillisPerStep(), ratio);
    }
    out().println();
    out().printf("%-16s %-12s %-18s %-40s %-18s %9s %9s %9s%n", "network", "layer", "argument", "quantizer", "input",
        "fwd ms", "fwd+bwd", "copy");
    for (TrainingProfile.QuantizerCost q : report.quantizers()) {
      out().printf(java.util.Locale.ROOT, "%-16s %-12s %-18s %-40s %-18s %9.3f %9.3f %9.3f%n", q.network(), q.layer(),
          q.argument(), q.quantizer(), java.util.Arrays.toString(q.shape()).replace(" ", ""), q.forwardMillis(),
          q.forwardBackwardMillis(), q.copyMillis());
    }
    return OK;
  }
}
