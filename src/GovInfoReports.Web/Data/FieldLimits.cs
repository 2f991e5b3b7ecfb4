namespace GovInfoReports.Web.Data;

/// <summary>
/// The longest text people may type into each stored field, in one place: the EF configurations
/// (<c>HasMaxLength</c>, i.e. the <c>character varying(n)</c> columns), the input validators and the import
/// read these constants, so a limit cannot differ between the form and the column. Validators count UTF-16
/// code units (<see cref="string.Length"/>), PostgreSQL counts characters; a character outside the BMP is 2
/// for the validator and 1 for the column, so whatever passes validation always fits.
/// </summary>
public static class FieldLimits
{
    /// <summary>统一社会信用代码: exactly 18 characters (GB 32100-2015).</summary>
    public const int AgencyCode = 18;
    /// <summary>Name of an agency (机关名称), also as frozen in each published version.</summary>
    public const int AgencyName = 100;
    /// <summary>行政区划代码: 6 digits (县级 and above, GB/T 2260) or 9 (乡级); 12 leaves room for 村级 codes.</summary>
    public const int RegionCode = 12;
    /// <summary>Name of a region, also as frozen in each published version.</summary>
    public const int RegionName = 100;

    /// <summary>报告标题.</summary>
    public const int ReportTitle = 200;
    /// <summary>编制机关.</summary>
    public const int CompilingOffice = 200;
    /// <summary>汇总范围 of a 全辖区 report.</summary>
    public const int UnitsCovered = 4000;
    /// <summary>电子版发布位置.</summary>
    public const int PublicationPlace = 500;
    /// <summary>联系方式.</summary>
    public const int Contact = 500;
    /// <summary>The column limit of a metadata field (<see cref="Domain.Reports.ReportMetadata.FieldIds"/>); null for
    /// the dates. A template may ask for less, never more (checked when the templates load).</summary>
    public static int? Metadata(string fieldId) => fieldId switch
    {
        Domain.Reports.ReportMetadata.TitleField => ReportTitle,
        Domain.Reports.ReportMetadata.CompilingOfficeField => CompilingOffice,
        Domain.Reports.ReportMetadata.UnitsCoveredField => UnitsCovered,
        Domain.Reports.ReportMetadata.PublicationPlaceField => PublicationPlace,
        Domain.Reports.ReportMetadata.ContactField => Contact,
        _ => null,
    };

    /// <summary>Refuses a template whose metadata lengths exceed the columns, or that leaves a text field without a
    /// length. Throws <see cref="InvalidDataException"/> naming the template and field.</summary>
    public static Domain.Templates.TemplateCatalog CheckMetadata(Domain.Templates.TemplateCatalog catalog)
    {
        foreach (var template in catalog.All)
            foreach (var field in template.MetadataFields)
                if (Metadata(field.Id) is { } column && (field.MaxLength is null || field.MaxLength > column))
                    throw new InvalidDataException($"Template {template.Code}: metadata field {field.Id} allows {field.MaxLength?.ToString() ?? "any length"}; the column holds {column}.");
        return catalog;
    }

    /// <summary>更正说明 of a corrected version.</summary>
    public const int CorrectionNote = 4000;
    /// <summary>An imported file's name as uploaded (longer names are cut, keeping the extension).</summary>
    public const int ImportFileName = 200;
    /// <summary>The address an archived report was published at.</summary>
    public const int SourceUrl = 1000;
    /// <summary>The heading of a narrative part (e.g. （一）主动公开, or the agency's own), one line.</summary>
    public const int PartHeading = Domain.Reports.PartIds.MaxHeadingLength;
    /// <summary>A clerk's 说明 of one warning.</summary>
    public const int WarningExplanation = 2000;

    /// <summary>The reason recorded with a workflow transition: a supervisor's 退回理由, or the 更正说明 that
    /// starts a correction.</summary>
    public const int TransitionReason = 4000;
    /// <summary>A supervisor's comment on one section.</summary>
    public const int ReviewComment = 4000;

    /// <summary>依据 of a local deadline (e.g. the notice that set it).</summary>
    public const int DeadlineBasis = 500;

    /// <summary>Login name (ASP.NET Core Identity's own column length).</summary>
    public const int UserName = 256;
    /// <summary>姓名或岗位 shown beside a user's actions.</summary>
    public const int UserDisplayName = 50;
}
