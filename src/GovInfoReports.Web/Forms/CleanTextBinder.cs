using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace GovInfoReports.Web.Forms;

/// <summary>
/// Binds every string the pages receive (form fields, query, route values, dictionary values such as
/// <c>Input.Texts[s1.active]</c>) as the framework does, then applies <see cref="InputText.Clean"/>, so titles,
/// paragraphs, names, reasons, comments and 说明 never store invisible controls, whatever page they come from.
/// A value that held U+0000 also gets the field error <see cref="InputText.NulMessage"/> under its own key,
/// which every handler sees as an invalid <c>ModelState</c>: the page is shown again with what was typed.
/// Passwords (<c>[DataType(DataType.Password)]</c>) are never altered — a changed password would silently be a
/// different one — but a U+0000 in them is still reported.
/// </summary>
public sealed class CleanTextBinder(IModelBinder inner, bool verbatim) : IModelBinder
{
    /// <inheritdoc />
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        await inner.BindModelAsync(bindingContext);
        if (bindingContext.Result.Model is not string raw) return;
        if (InputText.ContainsNul(raw)) bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, InputText.NulMessage);
        if (verbatim) return;
        var clean = InputText.Clean(raw);
        if (ReferenceEquals(clean, raw)) return;
        // As the framework's binder does for an empty field: what is left after cleaning may be nothing.
        var model = bindingContext.ModelMetadata.ConvertEmptyStringToNull && string.IsNullOrWhiteSpace(clean) ? null : clean;
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, model, model);
        bindingContext.Result = ModelBindingResult.Success(model);
    }
}

/// <summary>Puts <see cref="CleanTextBinder"/> in front of the framework's binder for every string that is bound
/// from form, query or route values (body, header and service bindings keep theirs).</summary>
public sealed class CleanTextBinderProvider : IModelBinderProvider
{
    /// <inheritdoc />
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        if (context.Metadata.ModelType != typeof(string) || context.BindingInfo.BindingSource?.IsGreedy == true) return null;
        var inner = new SimpleTypeModelBinder(typeof(string), context.Services.GetRequiredService<ILoggerFactory>());
        return new CleanTextBinder(inner, verbatim: context.Metadata.DataTypeName == nameof(DataType.Password));
    }
}
