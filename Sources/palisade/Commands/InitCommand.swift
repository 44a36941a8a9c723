import ArgumentParser
import Foundation
import PalisadeSpec

/// `palisade init`: writes a commented starter spec.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter spec.")

    @Option(name: .outputNames, help: "Where to write the spec (`--out` is accepted too).")
    var output = "palisade.yaml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        if output != "-", FileManager.default.fileExists(atPath: output), !force {
            throw InputError(description: "error: '\(output)' already exists; pass --force to overwrite it")
        }
        try Output.write(StarterSpec.text, to: output)
        if output != "-" { try Output.write("wrote \(output)", to: nil) }
    }
}
