from __future__ import annotations

from django import forms

from .models import LetterSettings


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = (
            "number_prefix",
            "signature",
            "review_route",
            "review_body",
            "superior_body",
            "contact",
            "payment",
        )
