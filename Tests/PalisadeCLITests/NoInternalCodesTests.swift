import Foundation
import Testing

/// Nothing a user sees carries the reference codes of our internal notes (`(N7, N11)`, `§11.3`, `V-11/E04`,
/// `B-OUT-02`, "seed 000", "issue #4", the notes' file names): help texts, every command's text and JSON output
/// on the built-in default and every example, the rendered Terraform, ARM and Bicep, the HTML report, and the
/// committed user documentation. Output says it in words or links docs/semantics.md or Microsoft Learn.
@Suite(.serialized) struct NoInternalCodesTests {
    static let subcommands = ["plan", "check", "trace", "reach", "rules", "explain", "expand", "render", "report", "hosts",
                              "vpn-certs", "init"]
    static let inputs: [[String]] = [[], ["examples/privateaml.yaml"], ["examples/hub.yaml"], ["examples/managed-vnet.yaml"]]

    /// One finding: where, the offending line, and the pattern it matched.
    struct Hit: CustomStringConvertible {
        var origin: String, line: String, pattern: String
        var description: String { "\(origin): [\(pattern)] \(line.trimmingCharacters(in: .whitespaces).prefix(160))" }
    }

    static let code = #"(?:SN|[NRDFPTEM])[0-9]{1,2}"#
    /// The code patterns, with a name for the failure message.
    static let patterns: [(name: String, regex: String)] = [
        ("code in parentheses", #"\([^()\n]*\b"# + code + #"\b[^()\n]*\)"#),
        ("list of codes", #"\b"# + code + #"(?:, ?|/|–|…)"# + code + #"\b"#),
        ("code label", #"(?:^|["'\s#])"# + code + #": "#),
        ("section sign", "§"),
        ("catalog ID", #"\bV-[0-9]+\b|\b(?!UTF-)[A-Z]{2,5}(?:-[A-Z0-9]+)?-[0-9]{2}\b"#),
        ("catalog ID in a name", #"(?i)\b(?:b-out|b-in|pip-fqdn|pip-in|pip-udr|npip|entra|host|auto|sep|img|mvn-[rs]|moe-c|pkg)-[0-9]{2}\b"#),
        ("seed", #"(?i)\bseed [0-9]{3}\b"#),
        ("issue number", #"(?i)\bissue #[0-9]+"#),
        ("notes file", #"(?i)azure-network-semantics|aml-network-catalog|anchors-(?:analyzers|deployers)|architecture\.md|style\.md|shared/docs|\.md §"#),
    ]

    /// The lines of `text` that match a pattern.
    static func scan(_ text: String, origin: String) -> [Hit] {
        var hits: [Hit] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            for pattern in patterns where line.range(of: pattern.regex, options: .regularExpression) != nil {
                hits.append(Hit(origin: "\(origin):\(number + 1)", line: line, pattern: pattern.name))
            }
        }
        return hits
    }

    /// One issue listing the first hits (the full list would bury the message).
    static func report(_ hits: [Hit], sourceLocation: SourceLocation = #_sourceLocation) {
        guard !hits.isEmpty else { return }
        let shown = hits.prefix(30).map(\.description).joined(separator: "\n")
        Issue.record("\(hits.count) line(s) carry internal codes:\n\(shown)", sourceLocation: sourceLocation)
    }

    /// Runs palisade and scans stdout and stderr.
    func scanRun(_ arguments: [String], in directory: URL = CLIRunner.repository) throws -> [Hit] {
        let run = try CLIRunner.run(arguments, in: directory)
        let origin = "palisade " + arguments.joined(separator: " ")
        return Self.scan(run.stdout, origin: origin) + Self.scan(run.stderr, origin: origin + " (stderr)")
    }

    /// Every file under `directory`, scanned.
    func scanTree(_ directory: URL, origin: String) throws -> [Hit] {
        var hits: [Hit] = []
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            hits += Self.scan(text, origin: origin + "/" + url.lastPathComponent)
        }
        return hits
    }

    @Test func theScannerFindsEveryKindOfCode() {
        let samples = [
            "detail: subnet NSG outbound, priority 100 (N7, N11)", "longest prefix (R12, R13, R15)", "see §11.3",
            "description: \"V-11/E04: storage mounts\"", "SN4: RDP/SSH from AzureBastionSubnet", "(seed 000 shape)",
            "issue #4 (identity)", "aml-network-catalog.md V-09", "name = \"b-out-02-tcp-azuremachinelearning\"", "rule B-OUT-01",
        ]
        for sample in samples { #expect(!Self.scan(sample, origin: "sample").isEmpty, "\(sample)") }
        let clean = [
            "subnet NSG outbound, priority 100 (docs/semantics.md#nsg-evaluation-order)", "vmSize: Standard_D2s_v3",
            "UTF-16 surrogate", "sku P1v3", "10.1.0.0/22 westeurope", "RFC 1918",
        ]
        for sample in clean { #expect(Self.scan(sample, origin: "sample").isEmpty, "\(sample)") }
    }

    @Test func helpTexts() throws {
        var hits = try scanRun(["--help"])
        for subcommand in Self.subcommands { hits += try scanRun([subcommand, "--help"]) }
        Self.report(hits)
    }

    @Test func commandOutputs() throws {
        var hits: [Hit] = []
        for input in Self.inputs {
            hits += try scanRun(["plan"] + input)
            hits += try scanRun(["plan"] + input + ["--format", "json"])
            for format in ["text", "json", "sarif"] { hits += try scanRun(["check"] + input + ["--format", format, "--severity", "note"]) }
            hits += try scanRun(["reach"] + input)
            hits += try scanRun(["reach"] + input + ["--format", "json"])
            hits += try scanRun(["hosts"] + input)
            for (from, to, port) in [("compute", "8.8.8.8", "443"), ("compute", "pypi.org", "443"), ("internet", "bastion", "443"),
                                     ("vpn-client", "workspace", "443"), ("compute", "storage", "445")] {
                for format in ["text", "json"] {
                    hits += try scanRun(["trace"] + input + ["--from", from, "--to", to, "--port", port, "--protocol", "any", "--format", format])
                }
            }
        }
        hits += try scanRun(["rules"])
        hits += try scanRun(["rules", "--markdown"])
        let ids = try CLIRunner.run(["rules"]).stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.contains("_") }
        #expect(ids.count > 40)
        for id in ids { hits += try scanRun(["explain", id]) }
        Self.report(hits)
    }

    @Test func outputsOnAnImportedTemplate() throws {
        let folder = CLIRunner.fixtures.appendingPathComponent("arm/aml-end-to-end-secure")
        let input = [folder.appendingPathComponent("azuredeploy.json").path,
                     "--parameters", folder.appendingPathComponent("azuredeploy.parameters.json").path, "--placeholders"]
        var hits: [Hit] = []
        for format in ["text", "json"] {
            hits += try scanRun(["plan"] + input + ["--format", format])
            hits += try scanRun(["check"] + input + ["--format", format, "--severity", "note"])
            hits += try scanRun(["reach"] + input + ["--format", format])
        }
        hits += try scanRun(["check"] + input + ["--format", "sarif"])
        Self.report(hits)
    }

    @Test func renderedFilesAndReports() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var hits: [Hit] = []
        for (index, input) in Self.inputs.enumerated() {
            for target in ["terraform", "arm", "bicep"] {
                let out = directory.appendingPathComponent("\(index)-\(target)")
                let run = try CLIRunner.run(["render"] + input + ["--target", target, "--output", out.path])
                #expect(run.status == 0, "\(input) \(target): \(run.stderr)")
                hits += try scanTree(out, origin: "\(input.first ?? "default") \(target)")
            }
            let report = directory.appendingPathComponent("\(index).html")
            _ = try CLIRunner.run(["report"] + input + ["--output", report.path])
            hits += Self.scan(try String(contentsOf: report, encoding: .utf8), origin: "\(input.first ?? "default") report")
        }
        let starter = directory.appendingPathComponent("starter.yaml")
        _ = try CLIRunner.run(["init", "--output", starter.path])
        hits += Self.scan(try String(contentsOf: starter, encoding: .utf8), origin: "init")
        Self.report(hits)
    }

    @Test func userDocumentation() throws {
        var hits: [Hit] = []
        for path in ["README.md", "docs/rules.md", "docs/semantics.md", "docs/engine-decisions.md", "docs/defaults.md",
                     "examples/privateaml.yaml", "examples/hub.yaml", "examples/managed-vnet.yaml"] {
            hits += Self.scan(try String(contentsOf: CLIRunner.repository.appendingPathComponent(path), encoding: .utf8), origin: path)
        }
        Self.report(hits)
    }

    /// Every `docs/semantics.md#anchor` that code or docs link to exists (an explicit `<a id>` or a heading).
    @Test func linkedSemanticsAnchorsExist() throws {
        let root = CLIRunner.repository
        let semantics = try String(contentsOf: root.appendingPathComponent("docs/semantics.md"), encoding: .utf8)
        var anchors = Set(Self.matches(#"<a id="([a-z0-9-]+)"></a>"#, in: semantics))
        for heading in Self.matches(#"(?m)^#+ (.+)$"#, in: semantics) {
            let slug = heading.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
            anchors.insert(slug.replacingOccurrences(of: " ", with: "-"))
        }
        #expect(anchors.count > 50)
        var files = ["README.md", "docs/engine-decisions.md", "docs/defaults.md"].map { root.appendingPathComponent($0) }
        let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "swift" { files.append(url) }
        }
        var missing: [String] = [], linked = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for link in Self.matches(#"semantics\.md#([a-z0-9-]+(?:, #[a-z0-9-]+)*)"#, in: text) {
                for anchor in link.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["#"]) }) {
                    linked += 1
                    if !anchors.contains(anchor) { missing.append("\(file.lastPathComponent): #\(anchor)") }
                }
            }
        }
        #expect(linked > 100)
        #expect(missing.isEmpty, "\(missing)")
    }

    /// The first capture group of every match of `pattern`.
    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
