using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GovInfoReports.Web.Forms;

/// <summary>The one way a validator's result reaches a page: each failure becomes a field error under the form
/// field's name, which is where the page shows it.</summary>
public static class ValidationResults
{
    /// <summary>Copies every failure of <paramref name="result"/> into <paramref name="modelState"/> under
    /// <c>{prefix}.{PropertyName}</c> (just <c>PropertyName</c> when the prefix is empty, e.g. for properties
    /// bound at the page's top level such as <c>NewName</c>). Returns whether the model state is valid
    /// afterwards, which also counts the errors model binding found (e.g. U+0000 in a field).</summary>
    public static bool AddTo(this ValidationResult result, ModelStateDictionary modelState, string prefix = "")
    {
        foreach (var failure in result.Errors)
            modelState.AddModelError(prefix.Length == 0 ? failure.PropertyName : $"{prefix}.{failure.PropertyName}", failure.ErrorMessage);
        return modelState.IsValid;
    }
}
