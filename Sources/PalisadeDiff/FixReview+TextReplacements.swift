import Foundation
import PalisadeModel
import PalisadeRules
import PalisadeSpec

extension FixReview {
    /// `findings` with each verified fix also given as text replacements in the input's own files, so a SARIF
    /// consumer can offer it as a patch: a spec's edits (always), or a Terraform configuration's or Bicep file's
    /// changes when every one of them can be placed exactly (see `TerraformFixPatch`, `BicepFixPatch`). Each replacement is against the files
    /// as they are now (fixes are alternatives, not a sequence). `readFile` reads an input file by the path its
    /// source locations name; ARM templates get no patch (their snippet is shown instead).
    public func withTextReplacements(_ findings: [Finding], form: FixForm = .spec,
                                     readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }) -> [Finding] {
        var files: [String: String?] = [:]
        // Resources by the Terraform address they were read from, built once (sorting the graph is not free).
        let byAddress = form == .terraform ? Dictionary(grouping: graph.resources.filter { $0.source?.path != nil }, by: { $0.source!.path! }) : [:]
        func text(_ file: String) -> String? {
            if let cached = files[file] { return cached }
            let read = readFile(file)
            files[file] = read
            return read
        }
        return findings.map { finding in
            guard var fix = finding.verifiedFix, fix.status == .verified else { return finding }
            let replacements: [TextReplacement]?
            if let spec {
                replacements = fix.specPatches.isEmpty ? nil
                    : (try? SpecEditor.apply(fix.specPatches.map { ($0.key, $0.value) }, to: spec.text))
                        .flatMap { TextReplacement.between(spec.text, $0, file: spec.file) }.map { [$0] }
            } else if form == .terraform, let snippet = fix.terraform {
                replacements = terraformReplacements(snippet, byAddress: byAddress, text: text)
            } else if form == .bicep, let snippet = fix.bicep, let changes = BicepFixPatch.changes(in: snippet) {
                replacements = BicepFixPatch.replacements(changes, graph: graph, edited: fix.edits.filter { $0.kind == "changed" }.map(\.resource),
                                                          text: text)
            } else {
                replacements = nil
            }
            guard let replacements, !replacements.isEmpty else { return finding }
            fix.replacements = replacements
            var changed = finding
            changed.verifiedFix = fix
            return changed
        }
    }

    /// The `type.label` addresses a Terraform value refers to (`azurerm_subnet.training.id` → `azurerm_subnet.training`;
    /// a data source keeps its `data.` prefix, which no managed resource's address has).
    static func terraformReferences(in value: String) -> [String] {
        var found: [String] = []
        let characters = Array(value)
        var index = 0
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" }
        while index < characters.count {
            guard isWord(characters[index]), index == 0 || !isWord(characters[index - 1]) && characters[index - 1] != "." else { index += 1; continue }
            var end = index
            while end < characters.count, isWord(characters[end]) || characters[end] == "." { end += 1 }
            let parts = String(characters[index..<end]).split(separator: ".").map(String.init)
            if parts.count >= 2, parts[0].hasPrefix("azurerm_") { found.append("\(parts[0]).\(parts[1])") }
            if parts.count >= 3, parts[0] == "data" { found.append("data.\(parts[1]).\(parts[2])") }
            index = end
        }
        return found
    }

    /// The Terraform snippet's argument changes placed in the user's files, or nil when any cannot be.
    private func terraformReplacements(_ snippet: String, byAddress: [String: [Resource]], text: (String) -> String?) -> [TextReplacement]? {
        guard let changes = TerraformFixPatch.changes(in: snippet) else { return nil }
        // A new value that refers to another resource must name one the user's configuration declares at that
        // address; the renderer's own labels (for module, `count` or data-source resources) would not resolve.
        for change in changes.values.joined() {
            for reference in Self.terraformReferences(in: change.new) where byAddress[reference] == nil { return nil }
        }
        var result: [TextReplacement] = []
        for address in changes.keys.sorted() {
            let matches = byAddress[address] ?? []
            guard matches.count == 1, let source = matches[0].source, let line = source.line, let contents = text(source.file),
                  let placed = TerraformFixPatch.replacements(changes[address]!, file: source.file, text: contents, line: line)
            else { return nil }
            result += placed
        }
        return result
    }
}
