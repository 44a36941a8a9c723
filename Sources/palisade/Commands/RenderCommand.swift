import ArgumentParser
import Foundation
import PalisadeRender

extension RenderTarget: ExpressibleByArgument {}

/// `palisade render [INPUT] --target terraform|arm|bicep --out DIR`: deployable infrastructure code.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render the environment as Terraform, an ARM template or Bicep.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(help: "What to render: \(RenderTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: RenderTarget = .terraform

    @Option(name: .outputNames, help: "Directory to write the files into (created if missing; must be empty unless --force; `--out` is accepted too).")
    var out: String

    @Flag(help: "Render into a directory that is not empty: files an earlier render wrote there are replaced or removed; other files are kept.")
    var force = false

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let result = Renderer.render(loaded.graph, target: target)
        if !result.unconvertible.isEmpty {
            let lines = result.unconvertible.map { "error: cannot render \(target.rawValue) from '\(loaded.label)': \($0)" }
            throw InputError(description: lines.joined(separator: "\n") + "\nnothing was written.")
        }
        for warning in result.warnings {
            Output.message("warning: \(warning)\n")
        }
        try Output.writeDirectory(result.files.map { ($0.path, $0.contents) }, to: out, force: force)
        let names = result.files.map(\.path).joined(separator: ", ")
        Output.message("wrote \(result.files.count) file(s) to \(out): \(names)\n")
    }
}
