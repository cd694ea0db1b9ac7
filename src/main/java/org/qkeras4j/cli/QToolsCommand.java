package org.qkeras4j.cli;

import java.nio.file.Path;
import org.qkeras4j.keras.ModelLoader;
import org.qkeras4j.tools.graph.ModelView;
import org.qkeras4j.tools.qtools.DataTypeMap;
import org.qkeras4j.tools.qtools.DataTypeMapJson;
import org.qkeras4j.util.AtomicFiles;
import org.qkeras4j.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qkeras4j qtools MODEL}: the QTools data-type map. */
@Command(
    name = "qtools",
    header = "Write the QTools data-type map: types of inputs, weights, multipliers, accumulators, outputs.",
    description = {"Examples:",
      "  qkeras4j qtools model.qk4j --source-quantizer \"quantized_bits(8, 0, 1)\" --json map.json",
      "  qkeras4j qtools model.qk4j --source-quantizer int8 --keras-quantizer int8 --keras-accumulator int32 --reference"},
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ok", "1:failed", "2:invalid input (unreadable model, bad type, layer or quantizer QTools cannot model)"})
public final class QToolsCommand extends BaseCommand {

  @Mixin ModelOptions model;

  @Mixin QToolsArgs qtools;

  @Option(names = "--json", paramLabel = "FILE", description = "Where to write the map (default: standard output).")
  Path json;

  @Override
  protected int doCall() throws Exception {
    try (ModelLoader.Loaded loaded = model.load()) {
      info("read " + loaded.description());
      DataTypeMap map = DataTypeMap.generate(ModelView.of(loaded.model()), qtools.options(loaded.model(), this::info));
      byte[] bytes = Json.MAPPER.writeValueAsBytes(DataTypeMapJson.toJson(map));
      if (json == null) {
        out().println(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      } else {
        AtomicFiles.write(json, bytes);
        info("wrote the data-type map of " + map.layers().size() + " layers to " + json);
      }
    }
    return OK;
  }
}
