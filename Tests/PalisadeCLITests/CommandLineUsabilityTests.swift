import Foundation
import Testing

/// The command line forgives typos, tells its version, spells the output option one way and reads JSON specs.
@Suite struct CommandLineUsabilityTests {
    @Test func mistypedSubcommandSuggestsTheRightOne() throws {
        for (typo, meant) in [("chek", "check"), ("rech", "reach"), ("trcae", "trace"), ("rendr", "render"), ("vpn-cert", "vpn-certs")] {
            let run = try CLIRunner.run([typo])
            #expect(run.status == 2, "\(typo)")
            #expect(run.stderr.contains("Did you mean '\(meant)'?"), "\(typo): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let nonsense = try CLIRunner.run(["xyzzy"])
        #expect(nonsense.status == 2)
        #expect(nonsense.stderr.contains("neither a palisade command nor an existing file"))
    }

    @Test func anExistingFileIsStillPlansInput() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A (JSON) spec file named like a command typo, without an extension, is read as plan's input.
        try #"{"name": "chek"}"#.write(to: directory.appendingPathComponent("chek"), atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["chek"], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Palisade plan: chek"))
        #expect(!run.stderr.contains("Did you mean"))
        let example = try CLIRunner.run(["examples/hub.yaml"])
        #expect(example.status == 0)
        #expect(example.stdout.contains("Palisade plan: hub"))
    }

    @Test func versionIsPrinted() throws {
        let run = try CLIRunner.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(run.stdout)")
    }

    @Test func outputAndOutAreTheSameOption() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in [["plan"], ["hosts"], ["report", "--no-reach"]] {
            let a = directory.appendingPathComponent("\(command[0])-output"), b = directory.appendingPathComponent("\(command[0])-out")
            #expect(try CLIRunner.run(command + ["--output", a.path]).status == 0)
            #expect(try CLIRunner.run(command + ["--out", b.path]).status == 0)
            #expect(try Data(contentsOf: a) == Data(contentsOf: b), "\(command)")
        }
        for command in ["plan", "check", "reach", "expand", "render", "report", "hosts", "vpn-certs", "init"] {
            let help = try CLIRunner.run([command, "--help"]).stdout
            #expect(help.contains("-o, --output, --out"), "\(command) --help")
        }
    }

    @Test func vpnClientDnsValuesAreDocumented() throws {
        let help = try CLIRunner.run(["trace", "--help"]).stdout
        for value in ["public-resolver", "hosts-file", "virtual-network-resolver"] { #expect(help.contains(value)) }
        #expect(help.contains("docs/semantics.md#vpn-client-dns"))
    }

    @Test func jsonSpecIsReadAsASpec() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("spec.json")
        try #"{"version": 1, "name": "fromjson", "location": "westus", "network": {"addressSpace": "10.50.0.0/22"}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["plan", spec.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("fromjson") && run.stdout.contains("10.50.0.0/22"))
        // A spec error in JSON is located like one in YAML.
        try #"{"name": "x", "netwrk": {}}"#.write(to: spec, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["plan", spec.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("spec.json:1:") && bad.stderr.contains("did you mean 'network'"), "\(bad.stderr)")
        // Templates and exports stay templates and exports.
        let export = directory.appendingPathComponent("export.json")
        try #"{"value": []}"#.write(to: export, atomically: true, encoding: .utf8)
        let exported = try CLIRunner.run(["plan", export.path])
        #expect(exported.status == 0)
        #expect(exported.stdout.contains("Inventory: 0 resources"), "\(exported.stdout)")
    }
}
