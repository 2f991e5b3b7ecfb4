using FluentValidation;
using FluentValidation.Results;
using GovInfoReports.Domain.Templates;

namespace GovInfoReports.Domain.Rules;

/// <summary>What a report holds, as the validator sees it.</summary>
public sealed record ReportContent(
    ReportTemplate Template,
    IReadOnlyDictionary<string, decimal> Cells,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyDictionary<string, bool> Context)
{
    /// <summary>Last year's report of the same agency, for the cross-year rules (null: none).</summary>
    public PreviousYear? Previous { get; init; }
}

/// <summary>
/// Validates a whole report against its template: every template rule (through the one
/// <see cref="RuleEvaluator"/>) and the length limit of each narrative section. Each failure carries
/// its <see cref="Violation"/> as CustomState so pages can highlight the cells involved.
/// </summary>
public sealed class ReportValidator : AbstractValidator<ReportContent>
{
    public ReportValidator()
    {
        RuleFor(r => r).Custom((report, context) =>
        {
            foreach (var v in RuleEvaluator.Evaluate(report.Template, report.Cells, report.Context, EvaluationMode.Entry, report.Texts, report.Previous).Violations)
                context.AddFailure(new ValidationFailure(v.Key, v.Message)
                {
                    ErrorCode = v.RuleId,
                    Severity = v.Severity switch
                    {
                        Templates.Severity.Error => FluentValidation.Severity.Error,
                        Templates.Severity.Warning => FluentValidation.Severity.Warning,
                        _ => FluentValidation.Severity.Info,
                    },
                    CustomState = v,
                });

            foreach (var section in report.Template.Sections.Where(s => s.Kind == SectionKind.Narrative))
            {
                var length = report.Texts.Where(t => Reports.PartIds.SectionOf(t.Key) == section.Id).Sum(t => t.Value.Length);
                if (length > section.MaxLength)
                    context.AddFailure(new ValidationFailure(section.Id, NarrativeTooLong(report.Template, section, length))
                    {
                        ErrorCode = "length",
                        CustomState = new Violation($"length:{section.Id}", "length", Templates.Severity.Error, section.Id,
                            "", NarrativeTooLong(report.Template, section, length), []),
                    });
            }
        });
    }

    public static string NarrativeTooLong(ReportTemplate template, TemplateSection section, int length) =>
        $"{section.Heading}：" + template.InputMessages["tooLong"]
            .Replace("{length}", length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{max}", section.MaxLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static IReadOnlyList<Violation> Violations(ValidationResult result) =>
        result.Errors.Select(e => (Violation)e.CustomState).ToList();
}
