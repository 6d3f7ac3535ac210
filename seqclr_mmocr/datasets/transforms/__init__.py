from .text_checks import CheckTextInDictionary

__all__ = ['CheckTextInDictionary']
