/**
 * Keras layers (channels-last, float32, Keras weight layouts and defaults) and what they are made
 * of: {@link org.qkeras4j.layers.Layer}, {@link org.qkeras4j.layers.Weight}, the config reader
 * {@link org.qkeras4j.layers.KerasConfig}, the class-name registry
 * {@link org.qkeras4j.layers.LayerRegistry}, and the symbolic graph
 * ({@link org.qkeras4j.layers.SymbolicTensor}, {@link org.qkeras4j.layers.Node}) that models are
 * wired from. Families live in subpackages: {@code core}, {@code conv}, {@code pooling},
 * {@code normalization}, {@code merging}, {@code reshaping}, {@code recurrent}; helper objects in
 * {@code activations}, {@code initializers}, {@code regularizers}, {@code constraints}.
 *
 * <h2>Writing a quantized layer</h2>
 *
 * A Q-layer extends its float layer and changes only what the forward pass reads; its own
 * arguments are read by a {@link org.qkeras4j.layers.quantized.QLayerSetup} before the parent
 * reads the rest (QKeras's constructors prepare the Keras arguments the same way):
 *
 * <pre>{@code
 * public class QDense extends Dense implements QuantizedLayer {
 *   private final QuantizerSlots slots;
 *   private final QuantizerSlot kernelQuantizer;
 *
 *   public QDense(KerasConfig config) {
 *     this(QLayerSetup.kernelAndBias(config, "he_normal", true));
 *   }
 *
 *   private QDense(QLayerSetup s) {
 *     super(s.config());                  // Dense reads units, the derived Clip constraint, ...
 *     slots = s.slots();
 *     kernelQuantizer = slots.slot("kernel_quantizer");
 *   }
 *
 *   protected NDArray effectiveKernel(NDArray latent, boolean training) {
 *     return kernelQuantizer.apply(latent, training);   // the latent itself when unset
 *   }
 *
 *   public QuantizerSlots quantizerSlots() {
 *     return slots;
 *   }
 *
 *   public Map<String, Object> getConfig() {
 *     Map<String, Object> c = super.getConfig();
 *     c.put("kernel_quantizer", slots.config("kernel_quantizer"));   // {"class_name", "config"}
 *     return c;
 *   }
 * }
 * LayerRegistry.register("QDense", QDense::new);
 * }</pre>
 *
 * The setup applies QKeras's {@code _set_trainable_parameter} to weight quantizers, derives the
 * {@code Clip} constraint and {@code QInitializer} from them, and turns a quantizer
 * {@code activation} into a {@link org.qkeras4j.layers.quantized.QuantizerActivation} for the
 * parent; the rewritten config ({@link org.qkeras4j.layers.KerasConfig#with}) shares the record of
 * read keys, so unknown-key checking still covers both classes.
 */
package org.qkeras4j.layers;
