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
                replacements = terraformReplacements(snippet, text: text)
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

    /// The Terraform snippet's argument changes placed in the user's files, or nil when any cannot be.
    private func terraformReplacements(_ snippet: String, text: (String) -> String?) -> [TextReplacement]? {
        guard let changes = TerraformFixPatch.changes(in: snippet) else { return nil }
        var result: [TextReplacement] = []
        for address in changes.keys.sorted() {
            let matches = graph.resources.filter { $0.source?.path == address }
            guard matches.count == 1, let source = matches[0].source, let line = source.line, let contents = text(source.file),
                  let placed = TerraformFixPatch.replacements(changes[address]!, file: source.file, text: contents, line: line)
            else { return nil }
            result += placed
        }
        return result
    }
}
