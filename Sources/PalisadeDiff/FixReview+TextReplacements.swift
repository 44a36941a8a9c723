import PalisadeRules
import PalisadeSpec

extension FixReview {
    /// `findings` with each verified spec edit also given as the text replacement it makes in the spec file, so a
    /// SARIF consumer can offer the fix as a patch. Each replacement is against the file as it is now (fixes are
    /// alternatives, not a sequence); inputs that are not specs are returned unchanged.
    public func withTextReplacements(_ findings: [Finding]) -> [Finding] {
        guard let spec else { return findings }
        return findings.map { finding in
            guard var fix = finding.verifiedFix, fix.status == .verified, !fix.specPatches.isEmpty,
                  let edited = try? SpecEditor.apply(fix.specPatches.map { ($0.key, $0.value) }, to: spec.text),
                  let replacement = TextReplacement.between(spec.text, edited, file: spec.file) else { return finding }
            fix.replacements = [replacement]
            var changed = finding
            changed.verifiedFix = fix
            return changed
        }
    }
}
