package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * The arithmetic QKeras's automatic alphas ({@code 'auto'}, {@code 'auto_po2'}) share: which axes
 * a per-channel statistic is taken over ({@code _get_scaling_axis}), and the least-squares scale
 * ({@code _get_least_squares_scale}, {@code _get_scale_mean}, {@code _clip_po2_scale}). Each
 * quantizer's own start value and iteration stay in its class. Layouts are channels-last,
 * QKeras's default image data format; everything here works on detached arrays.
 *
 * <p>Which values share a scale: for tensors of rank 2 and more, all values of a channel (the last
 * axis) unless {@code scale_axis} names the axes that keep their own scales (negative axes count
 * from the end); {@code elements_per_scale} further splits each such axis into groups of that many
 * entries. A vector gets one least-squares scale per element, as in QKeras.
 */
final class AutoScale {
  /** Exponent bounds accepted for {@code min_po2_exponent}/{@code max_po2_exponent}: float64's range. */
  static final int MIN_EXPONENT = -1074;
  static final int MAX_EXPONENT = 1023;

  /**
   * How scales are shared and bounded.
   *
   * @param scaleAxis axes keeping separate scales (null: the last axis)
   * @param elementsPerScale group size along each scale axis (null: one group)
   * @param minPo2Exponent lower bound of an {@code auto_po2} scale's exponent, or null
   * @param maxPo2Exponent upper bound of an {@code auto_po2} scale's exponent, or null
   */
  record Grouping(IntOrList scaleAxis, IntOrList elementsPerScale, Integer minPo2Exponent, Integer maxPo2Exponent) {
    /** One scale per channel along the last axis, unbounded. */
    static final Grouping PER_CHANNEL = new Grouping(null, null, null, null);

    /** Scales shared along {@code scale_axis} (null: per last-axis channel), no groups or bounds. */
    static Grouping along(IntOrList scaleAxis) {
      return new Grouping(scaleAxis, null, null, null);
    }

    /** Which values share a scale, in words: {@code per channel (last axis)}, {@code per entry of scale_axis=0}. */
    String describe() {
      String where = scaleAxis == null ? "per channel (last axis)" : "per entry of scale_axis=" + scaleAxis.text();
      return elementsPerScale == null ? where : where + " in groups of elements_per_scale=" + elementsPerScale.text();
    }

    /** The {@code auto_po2} exponent bounds in words, or an empty string when unbounded. */
    String describePo2Bounds() {
      if (minPo2Exponent == null) {
        return maxPo2Exponent == null ? "" : ", at most 2^" + maxPo2Exponent;
      }
      return maxPo2Exponent == null ? ", at least 2^" + minPo2Exponent
          : ", between 2^" + minPo2Exponent + " and 2^" + maxPo2Exponent;
    }

    /**
     * Reads {@code scale_axis}, {@code elements_per_scale}, {@code min_po2_exponent} and {@code
     * max_po2_exponent}, making up front the checks QKeras makes when it first scales ({@code
     * _validate_axis_and_eps}) and failing on the offending argument.
     */
    static Grouping read(Arguments args) {
      Grouping g = new Grouping(
          args.getIntOrList("scale_axis", Integer.MIN_VALUE),
          args.getIntOrList("elements_per_scale", 1),
          args.getOptionalInt("min_po2_exponent", MIN_EXPONENT, MAX_EXPONENT),
          args.getOptionalInt("max_po2_exponent", MIN_EXPONENT, MAX_EXPONENT));
      IntOrList axes = g.scaleAxis();
      IntOrList sizes = g.elementsPerScale();
      if (sizes != null) {
        if (axes == null) {
          throw args.error("elements_per_scale", "needs scale_axis to say which axes are grouped");
        }
        if (!axes.isList() && sizes.isList()) {
          throw args.error("elements_per_scale", "is a list (" + sizes.text() + ") but scale_axis is one axis ("
              + axes.text() + "), which is ambiguous");
        }
        if (sizes.isList() && sizes.size() != axes.size()) {
          throw args.error("elements_per_scale", "has " + sizes.size() + " entries but scale_axis has "
              + axes.size() + "; give one group size per scale axis");
        }
      }
      if (g.minPo2Exponent() != null && g.maxPo2Exponent() != null && g.minPo2Exponent() > g.maxPo2Exponent()) {
        throw args.error("min_po2_exponent", "must not exceed max_po2_exponent " + g.maxPo2Exponent()
            + ", got " + g.minPo2Exponent());
      }
      return g;
    }
  }

  private AutoScale() {}

  /**
   * The axes a least-squares mean is taken over: all but the scale axes (the last axis by
   * default). Empty for a vector with the default scale axis: one scale per element.
   *
   * @param quantizer names the quantizer when a scale axis is out of range
   */
  static int[] reductionAxes(int rank, IntOrList scaleAxis, String quantizer) {
    if (scaleAxis == null) {
      return KerasOps.allButLast(rank);
    }
    int[] keep = normalize(scaleAxis.values(), rank, quantizer);
    return IntStream.range(0, rank).filter(i -> Arrays.stream(keep).noneMatch(k -> k == i)).toArray();
  }

  /**
   * The axes QKeras's {@code quantized_bits} takes its starting {@code max|x|} over: those of
   * {@link #reductionAxes} for rank 2 and more, the whole vector ({@code axis=[0]}) for rank 1.
   */
  static int[] maxAxes(int rank, IntOrList scaleAxis, String quantizer) {
    return rank > 1 ? reductionAxes(rank, scaleAxis, quantizer) : new int[] {0};
  }

  private static int[] normalize(int[] axes, int rank, String quantizer) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank) {
        throw new IllegalArgumentException(
            quantizer + ": scale_axis " + axes[i] + " is out of range for an input of rank " + rank);
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == a) {
          throw new IllegalArgumentException(quantizer + ": scale_axis names axis " + a + " twice");
        }
      }
      out[i] = a;
    }
    return out;
  }

  /**
   * The least-squares scale of {@code x} for the quantized pattern {@code q}: {@code mean(x q) /
   * (mean(q q) + eps)} per group, shaped to broadcast against {@code x}; for {@code po2} the
   * nearest power of two, clipped to {@code [2**min_po2_exponent, 2**max_po2_exponent]}.
   *
   * @param quantizer names the quantizer in errors about shapes
   */
  static NDArray fitLeastSquares(NDArray x, NDArray q, boolean po2, Grouping grouping, String quantizer) {
    NDArray scale = ratioOfMeans(x.mul(q), q.mul(q), grouping, quantizer);
    if (x.getDataType() != DataType.FLOAT64 && !KerasOps.allFinite(scale)) {
      // The float32 products or sums overflowed (inputs near float's largest value; QKeras gives
      // NaN there): the same ratio from float64 products and sums, cast back.
      NDArray x64 = x.toType(DataType.FLOAT64, false);
      NDArray q64 = q.toType(DataType.FLOAT64, false);
      scale = ratioOfMeans(x64.mul(q64), q64.mul(q64), grouping, quantizer).toType(x.getDataType(), false);
    }
    return snapped(scale, po2, grouping);
  }

  /**
   * {@link #fitLeastSquares} from the products {@code x q} and {@code q q}, for callers that have
   * them more cheaply than by multiplying (a ternary pattern's {@code q q} is its mask); the
   * products must be finite.
   */
  static NDArray fitLeastSquaresOfProducts(NDArray xq, NDArray qq, boolean po2, Grouping grouping, String quantizer) {
    NDArray scale = ratioOfMeans(xq, qq, grouping, quantizer);
    if (xq.getDataType() != DataType.FLOAT64 && !KerasOps.allFinite(scale)) {
      scale = ratioOfMeans(xq.toType(DataType.FLOAT64, false), qq.toType(DataType.FLOAT64, false), grouping, quantizer)
          .toType(xq.getDataType(), false);
    }
    return snapped(scale, po2, grouping);
  }

  /**
   * {@link #fitLeastSquares} for a pattern of signs {@code q = ±1} (binary's): {@code x q = |x|}
   * and {@code q q = 1}, the same sums without forming {@code q}.
   */
  static NDArray fitLeastSquaresToSigns(NDArray x, boolean po2, Grouping grouping, String quantizer) {
    return fitLeastSquaresOfProducts(x.abs(), KerasOps.full(x, 1.0), po2, grouping, quantizer);
  }

  /** The nearest power of two within the exponent bounds for {@code auto_po2}; else unchanged. */
  private static NDArray snapped(NDArray scale, boolean po2, Grouping grouping) {
    if (!po2) {
      return scale;
    }
    NDArray snapped = KerasOps.nearestPowerOfTwo(scale);
    if (grouping.minPo2Exponent() != null) {
      snapped = snapped.maximum(Scalars.of(snapped, Math.scalb(1.0, grouping.minPo2Exponent())));
    }
    if (grouping.maxPo2Exponent() != null) {
      snapped = snapped.minimum(Scalars.of(snapped, Math.scalb(1.0, grouping.maxPo2Exponent())));
    }
    return snapped;
  }

  /** {@code mean(x q) / (mean(q q) + eps)} over each group of values sharing a scale. */
  private static NDArray ratioOfMeans(NDArray xq, NDArray qq, Grouping grouping, String quantizer) {
    int rank = xq.getShape().dimension();
    NDArray meanXq;
    NDArray meanQq;
    if (rank <= 1) {
      meanXq = xq;
      meanQq = qq;
    } else if (grouping.elementsPerScale() != null) {
      long[] shape = xq.getShape().getShape();
      requireGroupsDivide(shape, grouping, quantizer);
      int[][] groups = groups(shape, grouping, quantizer);
      meanXq = groupMean(xq, groups[0], groups[1]);
      meanQq = groupMean(qq, groups[0], groups[1]);
    } else {
      int[] axes = reductionAxes(rank, grouping.scaleAxis(), quantizer);
      meanXq = Reductions.mean(xq, axes, true);
      meanQq = Reductions.mean(qq, axes, true);
    }
    return meanXq.div(meanQq.add(Scalars.of(meanQq, KerasOps.EPSILON)));
  }

  /**
   * Fails, in QKeras's words, at the first scale axis (ascending) that {@code elements_per_scale}
   * does not divide: the one error every quantizer with grouped scales gives.
   */
  static void requireGroupsDivide(long[] shape, Grouping grouping, String quantizer) {
    int[][] groups = groups(shape, grouping, quantizer);
    for (int i = 0; i < groups[0].length; i++) {
      long size = shape[groups[0][i]];
      if (size % groups[1][i] != 0) {
        throw new IllegalArgumentException(quantizer + ": scaling axis " + groups[0][i] + " of dimension " + size
            + " has to be divisible by elements_per_scale " + groups[1][i]);
      }
    }
  }

  /** Scale axes in ascending order and their group sizes (a single size applies to every axis). */
  private static int[][] groups(long[] shape, Grouping grouping, String quantizer) {
    int[] axes = normalize(grouping.scaleAxis().values(), shape.length, quantizer);
    int[] sizes = grouping.elementsPerScale().values();
    if (sizes.length == 1 && axes.length > 1) {
      int s = sizes[0];
      sizes = IntStream.range(0, axes.length).map(i -> s).toArray();
    }
    Integer[] order = IntStream.range(0, axes.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt(i -> axes[i]));
    int[] sortedAxes = new int[axes.length];
    int[] sortedSizes = new int[axes.length];
    for (int i = 0; i < order.length; i++) {
      sortedAxes[i] = axes[order[i]];
      sortedSizes[i] = sizes[order[i]];
    }
    return new int[][] {sortedAxes, sortedSizes};
  }

  /**
   * The mean over everything but groups of {@code sizes[i]} consecutive entries along {@code
   * axes[i]}, repeated back to the full length of those axes (QKeras unrolls each scale axis into
   * (groups, size), averages, rolls back and repeats).
   */
  private static NDArray groupMean(NDArray v, int[] axes, int[] sizes) {
    long[] shape = v.getShape().getShape();
    long[] unrolled = new long[shape.length + axes.length];
    int[] keep = new int[axes.length];
    int out = 0;
    int next = 0;
    for (int d = 0; d < shape.length; d++) {
      if (next < axes.length && axes[next] == d) {
        keep[next] = out;
        unrolled[out++] = shape[d] / sizes[next];
        unrolled[out++] = sizes[next];
        next++;
      } else {
        unrolled[out++] = shape[d];
      }
    }
    int[] meanAxes = IntStream.range(0, unrolled.length).filter(i -> Arrays.stream(keep).noneMatch(k -> k == i)).toArray();
    NDArray mean = Reductions.mean(v.reshape(unrolled), meanAxes, true);
    long[] rolled = new long[shape.length];
    Arrays.fill(rolled, 1);
    for (int i = 0; i < axes.length; i++) {
      rolled[axes[i]] = shape[axes[i]] / sizes[i];
    }
    mean = mean.reshape(rolled);
    for (int i = 0; i < axes.length; i++) {
      mean = mean.repeat(axes[i], sizes[i]);
    }
    return mean;
  }
}
