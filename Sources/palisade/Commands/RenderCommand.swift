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

    @Option(name: .outputNames, help: "Directory to write the files into, created if missing (`--out` is accepted too).")
    var out: String

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let result = Renderer.render(loaded.graph, target: target)
        if !result.unconvertible.isEmpty {
            let lines = result.unconvertible.map { "error: cannot render \(target.rawValue) from '\(loaded.label)': \($0)" }
            throw InputError(description: lines.joined(separator: "\n") + "\nnothing was written.")
        }
        for warning in result.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw InputError(description: "error: cannot create '\(out)': \(error.localizedDescription)")
        }
        for file in result.files {
            try Output.write(file.contents, to: (out as NSString).appendingPathComponent(file.path))
        }
        let names = result.files.map(\.path).joined(separator: ", ")
        FileHandle.standardError.write(Data("wrote \(result.files.count) file(s) to \(out): \(names)\n".utf8))
    }
}
