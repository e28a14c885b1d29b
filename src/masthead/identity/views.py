from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from masthead.identity import services
from masthead.identity.forms import DeleteAccountForm, ProfileForm


def _without_password(request) -> bool:
    return not request.user.has_usable_password()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            request.user,
            display_name=data["display_name"],
            website=data["website"],
            avatar=form.new_avatar(),
        )
        messages.success(request, "Your profile is saved.")
        return redirect("identity:profile")
    context = {"form": form, "display_name": services.display_name_for(request.user)}
    return render(request, "identity/profile.html", context)


@never_cache
@login_required
@reauthentication_required(enabled=_without_password)
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user, form.cleaned_data["mode"])
        logout(request)
        return redirect("identity:account-deleted")
    return render(request, "identity/delete.html", {"form": form})


def account_deleted(request):
    return render(request, "identity/deleted.html")
