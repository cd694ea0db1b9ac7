package org.qkeras4j.cli;

import java.nio.file.Path;
import org.qkeras4j.keras.ModelLoader;
import org.qkeras4j.tools.energy.EnergyModel;
import org.qkeras4j.tools.energy.EnergyReports;
import org.qkeras4j.tools.energy.IncludeEnergy;
import org.qkeras4j.tools.energy.QEnergy;
import org.qkeras4j.tools.graph.ModelView;
import org.qkeras4j.tools.qtools.DataTypeMap;
import org.qkeras4j.util.AtomicFiles;
import org.qkeras4j.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qkeras4j energy MODEL}: QEnergy's estimate per layer and in total. */
@Command(
    name = "energy",
    header = "Estimate energy per layer and in total with QKeras's Horowitz 45 nm model (QEnergy).",
    description = {"Examples:",
      "  qkeras4j energy model.qk4j --source-quantizer int8 --weights-on-memory sram "
          + "--activations-on-memory sram --min-sram-size 134217728 --json energy.json",
      "  qkeras4j energy model.qk4j --source-quantizer int8 --keras-quantizer int8 --keras-accumulator int32 --reference"},
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ok", "1:failed", "2:invalid input (unreadable model, bad option, layer QTools cannot model)"})
public final class EnergyCommand extends BaseCommand {

  @Mixin ModelOptions model;

  @Mixin QToolsArgs qtools;

  @Mixin MemoryArgs memory;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write {\"layers\": {name: {inputs, outputs, parameters, op_cost, total}}, \"total_pJ\"}.")
  Path json;

  @Override
  protected int doCall() throws Exception {
    try (ModelLoader.Loaded loaded = model.load()) {
      info("read " + loaded.description());
      DataTypeMap map = DataTypeMap.generate(ModelView.of(loaded.model()), qtools.options(loaded.model(), this::info));
      QEnergy.Report report = QEnergy.estimate(map, memory.options(), EnergyModel.horowitz());
      IncludeEnergy rules = IncludeEnergy.defaults();
      out().print(EnergyReports.table(report, rules));
      out().flush();
      if (json != null) {
        AtomicFiles.write(json, Json.MAPPER.writeValueAsBytes(EnergyReports.toJson(report, rules)));
        info("wrote " + json);
      }
    }
    return OK;
  }
}
