package org.qkeras4j.tools.qtools;

import java.util.List;

/**
 * The data types QTools infers for one layer: input and output types, the operation count, and
 * per family the weight, bias, multiplier and accumulator (multiply-accumulate layers; separable
 * convolutions add the pointwise weight and the depthwise multiplier and accumulator; a layer fused
 * with its batch normalization adds that layer's beta, mean and inverse types), the merged
 * type (merges), the pool sum and averaging multiply (average poolings) or the batch-norm
 * operations. Fields a layer family does not have are null.
 */
public record LayerTypes(
    String name,
    String className,
    Kind kind,
    List<QType> inputs,
    List<long[]> inputShapes,
    QType output,
    long[] outputShape,
    long operationCount,
    boolean readsModelInput,
    boolean writesModelOutput,
    QType weight,
    long[] weightShape,
    QType bias,
    long biasSize,
    Operation multiplier,
    Operation accumulator,
    Operation fusedAccumulator,
    QType bnBeta,
    QType bnMean,
    QType bnInverse,
    QType gamma,
    QType beta,
    QType mean,
    QType variance,
    BatchNormTypes batchNorm,
    QType averageQuantizer,
    Operation poolSum,
    Operation poolAverage,
    QType pointwise,
    long[] pointwiseShape,
    Operation depthwiseMultiplier,
    Operation depthwiseAccumulator,
    long depthwiseOperations) {

  /** The layer families, each priced its own way. */
  public enum Kind { MAC, FOLDED_MAC, SEPARABLE, MERGE, RESHAPE, AVERAGE_POOLING, ACTIVATION, BATCH_NORM, PASS_THROUGH }

  public LayerTypes {
    inputs = List.copyOf(inputs);
    inputShapes = List.copyOf(inputShapes);
  }

  static Builder builder(String name, String className, Kind kind) {
    return new Builder(name, className, kind);
  }

  /** Collects a layer's types while the map is generated. */
  static final class Builder {
    private final String name;
    private final String className;
    private final Kind kind;
    List<QType> inputs = List.of();
    List<long[]> inputShapes = List.of();
    QType output;
    long[] outputShape;
    long operationCount;
    boolean readsModelInput;
    boolean writesModelOutput;
    QType weight;
    long[] weightShape;
    QType bias;
    long biasSize;
    Operation multiplier;
    Operation accumulator;
    Operation fusedAccumulator;
    QType bnBeta;
    QType bnMean;
    QType bnInverse;
    QType gamma;
    QType beta;
    QType mean;
    QType variance;
    BatchNormTypes batchNorm;
    QType averageQuantizer;
    Operation poolSum;
    Operation poolAverage;
    QType pointwise;
    long[] pointwiseShape;
    Operation depthwiseMultiplier;
    Operation depthwiseAccumulator;
    long depthwiseOperations;

    private Builder(String name, String className, Kind kind) {
      this.name = name;
      this.className = className;
      this.kind = kind;
    }

    LayerTypes build() {
      return new LayerTypes(name, className, kind, inputs, inputShapes, output, outputShape, operationCount,
          readsModelInput, writesModelOutput, weight, weightShape, bias, biasSize, multiplier, accumulator,
          fusedAccumulator, bnBeta, bnMean, bnInverse, gamma, beta, mean, variance, batchNorm, averageQuantizer, poolSum, poolAverage, pointwise,
          pointwiseShape, depthwiseMultiplier, depthwiseAccumulator, depthwiseOperations);
    }
  }
}
