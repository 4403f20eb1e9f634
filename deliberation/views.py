from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import anonymous_page
from deliberation import services
from deliberation.forms import ProcessForm
from deliberation.models import City, Phase, Process


def _processes():
    return Process.objects.prefetch_related("phases")


def get_process_for_user(request: HttpRequest, slug: str) -> Process:
    # Every process is public; the helper keeps one place to change that.
    return get_object_or_404(_processes().select_related("city"), slug=slug)


@anonymous_page
def process_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deliberation/process_list.html",
        {
            "processes": list(_processes()),
            "can_add": request.user.has_perm("deliberation.add_process"),
        },
    )


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user(request, slug)
    today = timezone.localdate()
    current = process.current_phase(today)
    # Each phase with where it stands today, for the timeline of steps.
    phases = [
        (
            phase,
            "current" if phase == current else "done" if phase.ends_on < today else "upcoming",
        )
        for phase in process.phases.all()
    ]
    return render(
        request,
        "deliberation/process_detail.html",
        {
            "process": process,
            "current_phase": current,
            "phases": phases,
            "phase_kinds": Phase.Kind,
            "categories": process.categories.all(),
            "can_change": request.user.has_perm("deliberation.change_process", process),
        },
    )


def _save_process(request: HttpRequest, form: ProcessForm, process: Process | None):
    data = {k: v for k, v in form.cleaned_data.items() if k in services.PROCESS_FIELDS}
    phases, categories = form.cleaned_data["phases"], form.cleaned_data["category_names"]
    if process is None:
        city = City.objects.order_by("pk").first()
        if city is None:
            raise ValidationError(_("Set up the city first (in the administration)."))
        return services.create_process(
            request.user, city=city, phases=phases, categories=categories, **data
        )
    return services.update_process(
        request.user, process, phases=phases, categories=categories, **data
    )


def _process_form_page(request: HttpRequest, process: Process | None) -> HttpResponse:
    perm = "deliberation.change_process" if process else "deliberation.add_process"
    if not request.user.has_perm(perm, process):
        raise PermissionDenied
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_process(request, form, process)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("process_detail", slug=saved.slug)
    return render(request, "deliberation/process_form.html", {"form": form, "process": process})


@login_required
def process_create(request: HttpRequest) -> HttpResponse:
    return _process_form_page(request, None)


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _process_form_page(request, get_process_for_user(request, slug))
