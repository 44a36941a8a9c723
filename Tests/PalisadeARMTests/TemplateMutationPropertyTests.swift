import Foundation
import Testing
import PalisadeModel
@testable import PalisadeARM

/// Structural mutations of real templates (the shared fixtures) end in diagnostics, never a crash, a hang or an
/// unlocated error. A seeded generator keeps every run identical; a crash here is a crash of the test process.
@Suite struct TemplateMutationPropertyTests {
    /// SplitMix64: small, seedable, identical on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Hostile values a template author controls: arithmetic at the edges, huge sizes, broken syntax.
    static let payloads: [ARMValue] = [
        "[add(9223372036854775807, 1)]", "[mul(-9223372036854775808, -1)]", "[div(-9223372036854775808, -1)]",
        "[padLeft('a', 1000000000)]", "[range(2147483647, 10)]", "[range(0, 10001)]", "[int(json('1e300'))]",
        "[format('{0,2000000000}', 1)]", "[format('{0:F999999999}', 1.5)]", "[substring('abc', 9223372036854775807, 1)]",
        "[dateTimeAdd('9999-12-31', 'P99999999999999999999Y')]", "[dateTimeFromEpoch(-9223372036854775808)]",
        "[copyIndex(9223372036854775807)]", "[json('[[[[[[[[[[[[[[[[[[[[')]", "[concat(", "[[escaped", "]",
        "[union(range(0, 10000), range(5000, 10000))]", "[reduce(range(0, 64), createArray(1), lambda('a', 'i', concat(lambdaVariables('a'), lambdaVariables('a'))))]",
        "[variables('missing')]", "[parameters('missing')]", "[reference('nowhere').x]", "[99999999999999999999]",
    ].map { ARMValue.string($0) } + [
        .int(.max), .int(.min), .int(801), .int(-1), .double(1e308), .null, .bool(true), .array([]), .object(ARMObject()),
    ]

    static let templates = [
        "arm/aml-end-to-end-secure", "arm/aml-network-restricted", "arm/avm-network-security-group",
        "arm/azurefirewall-sandbox-linux", "arm/privateaml-ampls", "arm-extra/aml-workspace-vnet",
        "arm-extra/key-vault-private-endpoint",
    ].flatMap { folder -> [String] in
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path(folder))) ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.contains("parameters") }.sorted().map { Fixtures.path("\(folder)/\($0)") }
    }

    /// One structural mutation somewhere in the tree: replace a value, delete or duplicate a member or element,
    /// nest a value, or swap in a huge copy count.
    static func mutate(_ value: ARMValue, _ g: inout Generator, depth: Int = 0) -> ARMValue {
        let here = depth > 12 || Int.random(in: 0..<6, using: &g) == 0
        switch value {
        case .object(let o) where !o.isEmpty && !here:
            var copy = o
            let entry = o.entries[Int.random(in: 0..<o.count, using: &g)]
            switch Int.random(in: 0..<10, using: &g) {
            case 0: copy[entry.key] = nil
            case 1: copy[entry.key + "2"] = entry.value
            case 2: copy["copy"] = .object(ARMObject([("name", .string("c")), ("count", .int(Int64.random(in: 799...1_000_000, using: &g)))]))
            default: copy[entry.key] = mutate(entry.value, &g, depth: depth + 1)
            }
            return .object(copy)
        case .array(let a) where !a.isEmpty && !here:
            var copy = a
            let i = Int.random(in: 0..<a.count, using: &g)
            switch Int.random(in: 0..<8, using: &g) {
            case 0: copy.remove(at: i)
            case 1: copy.append(a[i])
            default: copy[i] = mutate(a[i], &g, depth: depth + 1)
            }
            return .array(copy)
        default:
            switch Int.random(in: 0..<4, using: &g) {
            case 0: return .array([value, value])
            default: return payloads[Int.random(in: 0..<payloads.count, using: &g)]
            }
        }
    }

    @Test func mutatedTemplatesOnlyProduceDiagnostics() throws {
        try #require(!Self.templates.isEmpty)
        var g = Generator(state: 0x5EED_0015)
        var failures = 0, mutants = 0
        for path in Self.templates {
            let (loaded, _) = ARMLoader.load(file: path)
            let original = try #require(loaded).value
            for _ in 0..<40 {
                var value = original
                for _ in 0..<Int.random(in: 1...4, using: &g) { value = Self.mutate(value, &g) }
                let text = ARMText.compactJSON(value)
                var parser = JSONParser()
                guard let node = try? parser.parse(text) else { continue }
                var options = EvaluationOptions()
                options.placeholders = true
                options.limits.maxEvaluationSteps = 300_000
                let started = Date()
                let expanded = TemplateEvaluator.expand(node, file: "mutant.json", options: options)
                let (_, diagnostics) = ARMImporter.importDeployment(expanded)
                _ = expanded.renderJSON()
                mutants += 1
                if Date().timeIntervalSince(started) > 10 { failures += 1 }
                // Every error says where it is.
                #expect(diagnostics.errors.allSatisfy { $0.location?.file == "mutant.json" || $0.location?.file == nil && $0.code.hasPrefix("arm.import") })
            }
        }
        #expect(mutants > 150)
        #expect(failures == 0, "\(failures) mutants took longer than 10 s")
    }
}
