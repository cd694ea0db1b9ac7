package org.qkeras4j.layers.recurrent;

import java.util.function.DoubleUnaryOperator;

/**
 * The recurrences written out with plain loops over double arrays (row-major, Keras layouts), the
 * obviously-right oracle the recurrent layer tests compare against. {@code x} is one sample's
 * {@code [steps][features]}; each method returns the outputs of every step, {@code [steps][units]},
 * in processing order.
 */
final class RecurrentReference {
  static final DoubleUnaryOperator TANH = Math::tanh;
  static final DoubleUnaryOperator SIGMOID = v -> 1 / (1 + Math.exp(-v));
  static final DoubleUnaryOperator RELU = v -> Math.max(0, v);

  private RecurrentReference() {}

  /** {@code a . m[:, from:to]} for a vector {@code a} and a {@code rows x cols} row-major matrix. */
  static double[] dot(double[] a, float[] m, int cols, int from, int to) {
    double[] out = new double[to - from];
    for (int j = from; j < to; j++) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i] * m[i * cols + j];
      }
      out[j - from] = s;
    }
    return out;
  }

  static double[] slice(float[] v, int from, int to) {
    double[] out = new double[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = v[i];
    }
    return out;
  }

  static double[] toDouble(float[] v) {
    return slice(v, 0, v.length);
  }

  static double[][] steps(float[] x, int steps, int features, boolean backwards) {
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      int src = backwards ? steps - 1 - t : t;
      out[t] = slice(x, src * features, (src + 1) * features);
    }
    return out;
  }

  static double[][] simpleRnn(double[][] x, float[] kernel, float[] recurrent, float[] bias, int units,
      DoubleUnaryOperator act) {
    return simpleRnn(x, kernel, recurrent, bias, units, act, v -> v);
  }

  /** With {@code stateQ} applied to the previous output before each step (QKeras's state_quantizer). */
  static double[][] simpleRnn(double[][] x, float[] kernel, float[] recurrent, float[] bias, int units,
      DoubleUnaryOperator act, DoubleUnaryOperator stateQ) {
    double[] h = new double[units];
    double[][] out = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      h = map(h, stateQ);
      double[] xw = dot(x[t], kernel, units, 0, units);
      double[] hu = dot(h, recurrent, units, 0, units);
      double[] next = new double[units];
      for (int j = 0; j < units; j++) {
        next[j] = act.applyAsDouble(xw[j] + (bias == null ? 0 : bias[j]) + hu[j]);
      }
      h = next;
      out[t] = h;
    }
    return out;
  }

  static double[][] lstm(double[][] x, float[] kernel, float[] recurrent, float[] bias, int units,
      DoubleUnaryOperator act, DoubleUnaryOperator gateAct) {
    return lstm(x, kernel, recurrent, bias, units, act, gateAct, v -> v);
  }

  /** With {@code stateQ} applied to h and c before each step. */
  static double[][] lstm(double[][] x, float[] kernel, float[] recurrent, float[] bias, int units,
      DoubleUnaryOperator act, DoubleUnaryOperator gateAct, DoubleUnaryOperator stateQ) {
    int w = 4 * units;
    double[] h = new double[units];
    double[] c = new double[units];
    double[][] out = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      h = map(h, stateQ);
      c = map(c, stateQ);
      double[] z = dot(x[t], kernel, w, 0, w);
      double[] hu = dot(h, recurrent, w, 0, w);
      double[] nh = new double[units];
      double[] nc = new double[units];
      for (int j = 0; j < units; j++) {
        double[] g = new double[4];
        for (int k = 0; k < 4; k++) {
          int col = k * units + j;
          g[k] = z[col] + hu[col] + (bias == null ? 0 : bias[col]);
        }
        double i = gateAct.applyAsDouble(g[0]);
        double f = gateAct.applyAsDouble(g[1]);
        nc[j] = f * c[j] + i * act.applyAsDouble(g[2]);
        double o = gateAct.applyAsDouble(g[3]);
        nh[j] = o * act.applyAsDouble(nc[j]);
      }
      h = nh;
      c = nc;
      out[t] = h;
    }
    return out;
  }

  /** GRU; {@code bias} is {@code [2][3 units]} flattened with reset_after, {@code [3 units]} without. */
  static double[][] gru(double[][] x, float[] kernel, float[] recurrent, float[] bias, int units, boolean resetAfter,
      DoubleUnaryOperator act, DoubleUnaryOperator gateAct) {
    int w = 3 * units;
    double[] h = new double[units];
    double[][] out = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double[] xw = dot(x[t], kernel, w, 0, w);
      double[] hu = dot(h, recurrent, w, 0, w);
      double[] nh = new double[units];
      for (int j = 0; j < units; j++) {
        double bz = bias[j];
        double br = bias[units + j];
        double bh = bias[2 * units + j];
        double rz = resetAfter ? bias[w + j] : 0;
        double rr = resetAfter ? bias[w + units + j] : 0;
        double rh = resetAfter ? bias[w + 2 * units + j] : 0;
        double z = gateAct.applyAsDouble(xw[j] + bz + hu[j] + rz);
        double r = gateAct.applyAsDouble(xw[units + j] + br + hu[units + j] + rr);
        double candidate;
        if (resetAfter) {
          candidate = r * (hu[2 * units + j] + rh);
        } else {
          double s = 0;
          for (int i = 0; i < units; i++) {
            s += r(xw, hu, bias, units, i, gateAct) * h[i] * recurrent[i * w + 2 * units + j];
          }
          candidate = s;
        }
        double hh = act.applyAsDouble(xw[2 * units + j] + bh + candidate);
        nh[j] = z * h[j] + (1 - z) * hh;
      }
      h = nh;
      out[t] = h;
    }
    return out;
  }

  /** The reset gate of unit {@code i} (reset_after false). */
  private static double r(double[] xw, double[] hu, float[] bias, int units, int i, DoubleUnaryOperator gateAct) {
    return gateAct.applyAsDouble(xw[units + i] + bias[units + i] + hu[units + i]);
  }

  static double[] map(double[] v, DoubleUnaryOperator f) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = f.applyAsDouble(v[i]);
    }
    return out;
  }

  /** Every step's outputs flattened, or only the last step's. */
  static float[] flatten(double[][] outputs, boolean sequences) {
    if (!sequences) {
      return toFloat(outputs[outputs.length - 1]);
    }
    int units = outputs[0].length;
    float[] out = new float[outputs.length * units];
    for (int t = 0; t < outputs.length; t++) {
      for (int j = 0; j < units; j++) {
        out[t * units + j] = (float) outputs[t][j];
      }
    }
    return out;
  }

  static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
