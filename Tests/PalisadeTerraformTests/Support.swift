import Foundation
import PalisadeModel
@testable import PalisadeTerraform

/// Writes files into a fresh temporary directory for one test and reads them as a configuration.
struct Workspace {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-tf-\(UUID().uuidString)")
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    var path: String { url.path }

    func read(_ configure: (inout TerraformOptions) -> Void = { _ in }) -> TerraformReadResult {
        var options = TerraformOptions()
        options.environment = [:]
        configure(&options)
        defer { try? FileManager.default.removeItem(at: url) }
        return TerraformReader.read(path, options: options)
    }
}

/// Evaluates one expression in an empty module (for function and operator tests).
func evaluate(_ text: String) throws -> HCLValue {
    let expression = try HCLParser.parseExpression(text: text, file: "test.tf")
    let evaluator = Evaluator(rootDirectory: ".", options: TerraformOptions())
    let module = ModuleInstance(config: ModuleConfig(directory: "."), address: "", callPath: "", depth: 0)
    evaluator.root = module
    return try evaluator.evaluate(expression, Scope(module: module))
}

/// Shorthand for string lists.
func strings(_ items: String...) -> HCLValue { .list(items.map { .string($0) }) }
