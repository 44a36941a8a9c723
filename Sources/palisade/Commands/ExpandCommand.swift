import ArgumentParser
import PalisadeARM
import PalisadeBicep

/// `palisade expand TEMPLATE`: what an ARM template really deploys, fully evaluated.
struct ExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand", abstract: "Print the fully evaluated resources (with source file:line) and outputs of an ARM template.")

    @Argument(help: "An ARM template (.json), a Bicep file (.bicep) or a Bicep parameters file (.bicepparam).")
    var template: String

    @OptionGroup var inputOptions: InputOptions

    @Flag(help: "Print only the evaluated outputs object.")
    var outputs = false

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    func run() throws {
        let options = try inputOptions.importOptions()
        Output.inputPaths += [template] + options.parameterFiles
        let deployment = BicepExpander.isBicep(template)
            ? BicepExpander.expand(file: template, parameterFiles: options.parameterFiles, overrides: options.overrides,
                                   options: options.evaluation, bicep: inputOptions.bicepOptions())
            : ARMExpander.expand(template: template, parameterFiles: options.parameterFiles,
                                 overrides: options.overrides, options: options.evaluation)
        try Output.report(deployment.diagnostics)
        try Output.write(outputs ? deployment.renderOutputsJSON() : deployment.renderJSON(), to: output)
    }
}
